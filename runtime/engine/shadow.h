// Shadow memory: per 8-byte granule of application memory, a few access cells
// recording who touched which bytes when, checked and updated on every access.
//
// Layout: a two-level table. Level 1 (one NORESERVE mapping) holds a pointer
// per 16 MiB of application address space; level 2 chunks (NORESERVE) are
// mapped on first touch, so only touched pages cost memory. No fixed
// addresses are used, so any ASLR layout works. A chunk stores its granules'
// 4 cells in 4 planes (cell p of every granule side by side): at most 4 bytes
// of shadow per byte of application memory, less where fewer than 4 cells
// were ever used (a plane's pages are only touched when used). Cells hold no
// stack: a report finds the earlier access's stack in its slot's trace.
// Updates take no lock (see access_granule).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/hash.h"
#include "engine/spin_lock.h"

namespace conc::engine {

struct ThreadState;

// A cell is one 64-bit word (0 = empty): which bytes of the granule were
// accessed (mask), by which slot at which epoch, and how (write, atomic).
namespace cell {
constexpr uint64_t kMaskBits = 0xff;
constexpr uint64_t kWrite = 1u << 8;
constexpr uint64_t kAtomic = 1u << 9;
constexpr unsigned kEpochShift = 10;  // 32 bits of epoch
constexpr unsigned kSlotShift = 42;   // 20 bits of slot
constexpr Slot kMaxSlots = 1u << 20;
constexpr uint64_t kSlotEpochBits = ~uint64_t{0} << kEpochShift;

constexpr uint64_t base(Slot slot, Epoch epoch) {
  return uint64_t{slot} << kSlotShift | uint64_t{epoch} << kEpochShift;
}
constexpr Slot slot(uint64_t c) { return static_cast<Slot>(c >> kSlotShift); }
constexpr Epoch epoch(uint64_t c) { return static_cast<Epoch>(c >> kEpochShift); }
constexpr unsigned mask(uint64_t c) { return static_cast<unsigned>(c & kMaskBits); }
}  // namespace cell

constexpr unsigned kCellsPerGranule = 4;

// Whether a recorded cell of this thread's current epoch already covers an
// access, so that recording the access would change nothing: same slot and
// epoch, the cell covers the access's bytes, is a write if the access is,
// and is plain if the access is plain. Built once per access (`cur` carries
// the thread's slot and epoch), applied to each cell with a few ALU ops.
class Coverage {
 public:
  constexpr explicit Coverage(uint64_t cur)
      : cur_(cur),
        equal_(cell::kSlotEpochBits | (cur & cell::kAtomic ? 0 : cell::kAtomic)),
        needed_(cur & (cell::kWrite | cell::kMaskBits)) {}
  // For a plain access (no kAtomic in `cur`), with one branch fewer.
  static constexpr Coverage plain(uint64_t cur) {
    return Coverage(cur, cell::kSlotEpochBits | cell::kAtomic);
  }
  constexpr bool by(uint64_t old) const { return (((old ^ cur_) & equal_) | (needed_ & ~old)) == 0; }

 private:
  constexpr Coverage(uint64_t cur, uint64_t equal)
      : cur_(cur), equal_(equal), needed_(cur & (cell::kWrite | cell::kMaskBits)) {}

  uint64_t cur_;
  uint64_t equal_;   // bits `old` must share with cur
  uint64_t needed_;  // bits cur has that `old` must have too
};

// The earlier access a new one races with.
struct RaceInfo {
  uint64_t cell = 0;
  uintptr_t addr = 0;  // first byte of the earlier access within its granule
  size_t size = 0;
};

// Told of each race Shadow::access finds, so that the access path makes no
// call after the shadow's (a race is rare; the access is not).
class RaceSink {
 public:
  virtual void on_race(ThreadState& thread, uintptr_t addr, size_t size, Pc pc, uint64_t flags,
                       const RaceInfo& race) = 0;

 protected:
  ~RaceSink() = default;
};

class Shadow {
 public:
  static constexpr unsigned kAddressBits = 48;  // accesses above this are not tracked

  explicit Shadow(RaceSink& sink);
  ~Shadow();
  Shadow(const Shadow&) = delete;
  Shadow& operator=(const Shadow&) = delete;

  // Checks an access against the recorded ones and records it (and, if it
  // stores anything, appends it to the thread's trace first). Tells the sink
  // of the first conflicting earlier access found, after the cells are
  // stored.
  void access(ThreadState& thread, uintptr_t addr, size_t size, Pc pc, uint64_t flags);
  // Forgets every access to [addr, addr+size). Large ranges give their shadow
  // pages back to the OS.
  void reset(uintptr_t addr, size_t size);

  static constexpr unsigned kChunkShift = 24;  // application bytes per level-2 chunk
  static constexpr size_t kGranulesPerChunk = size_t{1} << (kChunkShift - 3);

  // Level 2, in planes: plane p holds cell p of every granule of the chunk.
  // A thread's plain accesses are stored in its home plane, so the fast path
  // of a repeated access reads 8 bytes of shadow per granule (one cache line
  // per 8 granules), not the granule's 4 cells.
  struct Chunk {
    std::atomic<uint64_t> cells[kCellsPerGranule][kGranulesPerChunk];
  };
  // Level 1: a chunk pointer per 16 MiB of address space.
  using ChunkTable = std::atomic<Chunk*>;
  const ChunkTable* table() const { return chunks_; }

  // The plane a thread's cells go to when free: by slot, so that up to 4
  // threads sharing granules (read-shared data) each find theirs in one place.
  static constexpr unsigned home_plane(uint64_t cur) {
    return static_cast<unsigned>(cur >> cell::kSlotShift) % kCellsPerGranule;
  }

  // The lock-free fast path of the runtime's entry points, in two parts.
  // Inlined: the common shape, an access within one granule or an aligned
  // 16-byte one (vectorized loops), looked for in the thread's home cells
  // only: one level-1 load and one or two cell loads. A plain access is
  // always stored in its home cell, so when that misses, a look at the other
  // planes would nearly always miss too: the caller goes to the engine,
  // whose first step checks them all (without a lock). Other shapes are decided by
  // covered(), out of line. Both take the table rather than the Shadow to
  // save a dependent load; `cur` is the thread's cell base plus flags (plain
  // accesses only: atomics never take the inlined path).
  __attribute__((always_inline)) static bool home_shape(uintptr_t addr, size_t size) {
    const unsigned offset = addr & 7;
    // Neither shape crosses an address-bits boundary; size 0 is left to covered().
    return size != 0 && (offset + size <= 8 || (offset == 0 && size == 16));
  }
  __attribute__((always_inline)) static bool covered_at_home(const ChunkTable* table, uintptr_t addr,
                                                             size_t size, uint64_t cur) {
    const unsigned offset = addr & 7;
    const bool one_granule = offset + size <= 8;
    if (addr >> kAddressBits) return false;
    const Chunk* chunk = table[addr >> kChunkShift].load(std::memory_order_acquire);
    if (!chunk) return false;
    const size_t index = (addr >> 3) & (kGranulesPerChunk - 1);
    const std::atomic<uint64_t>* home = chunk->cells[home_plane(cur)] + index;
    if (one_granule)
      return Coverage::plain(cur | ((1u << size) - 1) << offset).by(home[0].load(std::memory_order_relaxed));
    const Coverage whole = Coverage::plain(cur | 0xff);
    return index + 1 < kGranulesPerChunk && whole.by(home[0].load(std::memory_order_relaxed)) &&
           whole.by(home[1].load(std::memory_order_relaxed));
  }

  // True when every granule of the access already holds a cell of this
  // thread's current epoch covering it, in any plane, so access() would
  // neither report nor record anything.
  __attribute__((noinline)) static bool covered(const ChunkTable* table, uintptr_t addr, size_t size,
                                                uint64_t cur) {
    const uintptr_t end = addr + size;
    if (size == 0 || (addr | (end - 1)) >> kAddressBits) return false;
    const Chunk* chunk = table[addr >> kChunkShift].load(std::memory_order_acquire);
    if (!chunk) return false;
    const size_t index = (addr >> 3) & (kGranulesPerChunk - 1);
    const unsigned offset = addr & 7;
    if (offset + size <= 8) return granule_covered(*chunk, index, cur | ((1u << size) - 1) << offset);
    const size_t last = (offset + size - 1) >> 3;         // granules after the first
    if (index + last >= kGranulesPerChunk) return false;  // crosses into the next chunk
    size_t left = offset + size;  // bytes still to cover, from the first granule's start
    for (size_t i = 0; i <= last; ++i, left -= 8) {
      const unsigned high = left < 8 ? static_cast<unsigned>((1u << left) - 1) : 0xffu;
      const unsigned low = i == 0 ? (1u << offset) - 1 : 0u;
      if (!granule_covered(*chunk, index + i, cur | (high & ~low))) return false;
    }
    return true;
  }

 private:
  static constexpr size_t kL1Entries = size_t{1} << (kAddressBits - kChunkShift);

  // Where a granule lives: its chunk and index there.
  struct Ref {
    Chunk* chunk;
    size_t index;
    std::atomic<uint64_t>& cell(unsigned plane) const { return chunk->cells[plane][index]; }
  };

  // The home plane first (one load when it hits), then all 4 branch-free.
  __attribute__((always_inline)) static bool granule_covered(const Chunk& chunk, size_t index, uint64_t cur) {
    static_assert(kCellsPerGranule == 4);
    const Coverage coverage(cur);
    auto at = [&](unsigned plane) {  // 0 or 1, to combine without branches
      return static_cast<unsigned>(coverage.by(chunk.cells[plane][index].load(std::memory_order_relaxed)));
    };
    if (__builtin_expect(at(home_plane(cur)), 1)) return true;
    return (at(0) | at(1) | at(2) | at(3)) != 0;
  }
  Ref granule(uintptr_t addr);                                 // maps the chunk if needed
  __attribute__((noinline)) Chunk* map_chunk(uintptr_t addr);  // first touch: maps the chunk
  Chunk* find_chunk(uintptr_t addr) const;                     // nullptr if never mapped
  // The access being recorded: traced once, before its first cell store.
  struct Pending {
    uintptr_t addr;
    size_t size;
    Pc pc;
    bool traced;
  };
  // Checks and stores one granule's part of an access; returns the cell of
  // an earlier access it races with, or 0. Inline in access().
  __attribute__((always_inline)) uint64_t access_granule(ThreadState& thread, Ref ref, uint64_t cur,
                                                         Pending& access);
  void clear_bytes(Ref ref, unsigned mask);
  static void clear_chunk_range(Chunk& chunk, size_t first, size_t count);

  RaceSink& sink_;
  std::atomic<Chunk*>* chunks_;
  SpinLock mapped_lock_;
  std::vector<Chunk*> mapped_;  // every chunk mapped, for the destructor
};

}  // namespace conc::engine
