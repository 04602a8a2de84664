// Shadow memory: per 8-byte granule of application memory, a few access cells
// recording who touched which bytes when, checked and updated on every access.
//
// Layout: a two-level table. Level 1 (one NORESERVE mapping) holds a pointer
// per 16 MiB of application address space; level 2 chunks (NORESERVE, 128 MiB
// of shadow each) are mapped on first touch, so only touched pages cost
// memory. No fixed addresses are used, so any ASLR layout works. Each granule
// is one 64-byte cache line: a lock word, 4 stack ids and 4 cells, i.e. 8
// bytes of shadow per byte of application memory actually touched.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/spin_lock.h"
#include "engine/stack_depot.h"

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

struct alignas(64) Granule {
  static constexpr unsigned kCells = 4;
  SpinLock lock;
  std::atomic<StackId> stacks[kCells];  // depot id of each cell's access (its pc is the leaf)
  std::atomic<uint64_t> cells[kCells];
};
static_assert(sizeof(Granule) == 64);

// The earlier access a new one races with.
struct RaceInfo {
  uint64_t cell = 0;
  StackId stack = 0;
  uintptr_t addr = 0;  // first byte of the earlier access within its granule
  size_t size = 0;
};

class Shadow {
 public:
  static constexpr unsigned kAddressBits = 48;  // accesses above this are not tracked

  Shadow();
  ~Shadow();
  Shadow(const Shadow&) = delete;
  Shadow& operator=(const Shadow&) = delete;

  // Checks an access against the recorded ones and records it. Returns true
  // and fills `race` for the first conflicting earlier access found.
  bool access(ThreadState& thread, StackDepot& depot, uintptr_t addr, size_t size, Pc pc, uint64_t flags,
              RaceInfo& race);
  // Forgets every access to [addr, addr+size). Large ranges give their shadow
  // pages back to the OS.
  void reset(uintptr_t addr, size_t size);

 private:
  static constexpr unsigned kChunkShift = 24;  // application bytes per level-2 chunk
  static constexpr size_t kGranulesPerChunk = size_t{1} << (kChunkShift - 3);
  static constexpr size_t kChunkBytes = kGranulesPerChunk * sizeof(Granule);
  static constexpr size_t kL1Entries = size_t{1} << (kAddressBits - kChunkShift);

  Granule* granule(uintptr_t addr);         // maps the chunk if needed
  Granule* find_granule(uintptr_t addr) const;  // nullptr if never mapped
  bool access_granule(ThreadState& thread, StackDepot& depot, Granule& g, uint64_t cur, Pc pc, RaceInfo& race);
  static void clear_bytes(Granule& g, unsigned mask);
  static void clear_granules(Granule* first, size_t count);

  std::atomic<Granule*>* chunks_;
  SpinLock mapped_lock_;
  std::vector<Granule*> mapped_;  // every chunk mapped, for the destructor
};

}  // namespace conc::engine
