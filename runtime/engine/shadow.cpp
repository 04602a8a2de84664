#include "engine/shadow.h"

#include <sys/mman.h>

#include <algorithm>
#include <utility>

#include "engine/os_memory.h"
#include "engine/thread.h"

namespace conc::engine {
namespace {

constexpr size_t kPage = 4096;
// Below this many bytes of shadow, clearing by stores is cheaper than
// madvise (a syscall plus TLB shootdowns in every thread).
constexpr size_t kMadviseMin = size_t{512} * 1024;

unsigned popcount(unsigned x) { return static_cast<unsigned>(__builtin_popcount(x)); }

// Whether `cur` makes the earlier `old` (of the same thread or ordered before
// it) redundant: every later access that would race with `old` races with
// `cur` too. `cur` must cover old's bytes, be a write if old was, and be plain
// if old was plain (an atomic does not race with a later atomic).
bool dominates(uint64_t cur, uint64_t old) {
  return (cell::mask(old) & ~cell::mask(cur)) == 0 && (!(old & cell::kWrite) || (cur & cell::kWrite)) &&
         (!(cur & cell::kAtomic) || (old & cell::kAtomic));
}

// Whether two accesses to a granule, if unordered, race: they share a byte,
// one of them writes, and they are not both atomic.
bool conflict(uint64_t cur, uint64_t old) {
  return (cell::mask(old) & cell::mask(cur)) && ((cur | old) & cell::kWrite) && !(cur & old & cell::kAtomic);
}

// Whether `cell` holds an access this thread is not ordered after.
bool unordered(const ThreadState& thread, uint64_t cell) {
  return thread.clock.get(cell::slot(cell)) < cell::epoch(cell);
}

// The race with `cell`, a cell of the granule at `addr`.
RaceInfo located(uint64_t cell, uintptr_t addr) {
  return {cell, (addr & ~uintptr_t{7}) + static_cast<unsigned>(__builtin_ctz(cell::mask(cell))),
          popcount(cell::mask(cell))};
}

// Gives the whole pages inside [begin, end) back to the OS; returns the
// page-aligned bounds of what was released (begin == end if nothing was).
std::pair<char*, char*> release_pages(void* begin, void* end) {
  const uintptr_t from = reinterpret_cast<uintptr_t>(begin);
  const uintptr_t first = (from + kPage - 1) & ~(kPage - 1);
  const uintptr_t last = reinterpret_cast<uintptr_t>(end) & ~(kPage - 1);
  auto* base = static_cast<char*>(begin);
  if (first >= last) return {base, base};
  // Offsets from `begin`, not pointers cast back from integers.
  madvise(base + (first - from), last - first, MADV_DONTNEED);
  return {base + (first - from), base + (last - from)};
}

// Stores only over cells in use: a never-used shadow page stays untouched
// (not resident), whatever range of the program's memory is reset.
void zero_cells(std::atomic<uint64_t>* from, std::atomic<uint64_t>* to) {
  for (auto* c = from; c < to; ++c) {
    if (c->load(std::memory_order_relaxed)) c->store(0, std::memory_order_relaxed);
  }
}

}  // namespace

Shadow::Shadow(RaceSink& sink)
    : sink_(sink), chunks_(static_cast<std::atomic<Chunk*>*>(map_zeroed(kL1Entries * sizeof(Chunk*)))) {}

Shadow::~Shadow() {
  for (Chunk* chunk : mapped_) unmap(chunk, sizeof(Chunk));
  unmap(chunks_, kL1Entries * sizeof(Chunk*));
}

Shadow::Chunk* Shadow::find_chunk(uintptr_t addr) const {
  return chunks_[addr >> kChunkShift].load(std::memory_order_acquire);
}

Shadow::Chunk* Shadow::map_chunk(uintptr_t addr) {
  std::atomic<Chunk*>& slot = chunks_[addr >> kChunkShift];
  Chunk* chunk = nullptr;
  auto* fresh = static_cast<Chunk*>(map_zeroed(sizeof(Chunk)));
  if (slot.compare_exchange_strong(chunk, fresh, std::memory_order_acq_rel)) {
    SpinGuard guard(mapped_lock_);
    mapped_.push_back(fresh);
    return fresh;
  }
  unmap(fresh, sizeof(Chunk));
  return chunk;
}

inline Shadow::Ref Shadow::granule(uintptr_t addr) {
  Chunk* chunk = find_chunk(addr);
  if (__builtin_expect(!chunk, 0)) chunk = map_chunk(addr);
  return {chunk, (addr >> 3) & (kGranulesPerChunk - 1)};
}

// Without a lock, as ThreadSanitizer's: the cells are read once and the ones
// that change are stored. The access's own cell is stored last with a full
// fence, and then the other cells are read again, so of two accesses to one
// granule at the same moment at least one sees the other (as it would under
// a lock). Updates of the other cells are plain stores: two threads updating
// one granule at once can lose a cell, so a later race with that access can
// be missed; every cell stored is an access that happened, so no race is
// invented.
inline uint64_t Shadow::access_granule(ThreadState& thread, Ref ref, uint64_t cur, Pending& access) {
  static_assert(kCellsPerGranule == 4);
  // Straight-line over the four planes (constant indices keep the cells in
  // registers): this runs once per first access of a granule in an epoch.
  std::atomic<uint64_t>* const cell0 = &ref.cell(0);
  auto at = [cell0](unsigned plane) -> std::atomic<uint64_t>& { return cell0[plane * kGranulesPerChunk]; };
  const uint64_t c[kCellsPerGranule] = {
      at(0).load(std::memory_order_relaxed), at(1).load(std::memory_order_relaxed),
      at(2).load(std::memory_order_relaxed), at(3).load(std::memory_order_relaxed)};
  // This thread already recorded an access at this epoch that covers this
  // one: nothing would change.
  const Coverage coverage(cur);
  if ((static_cast<unsigned>(coverage.by(c[0])) | static_cast<unsigned>(coverage.by(c[1])) |
       static_cast<unsigned>(coverage.by(c[2])) | static_cast<unsigned>(coverage.by(c[3]))) != 0)
    return 0;

  // The access is stored whatever the cells hold: trace it before the store,
  // so whoever finds the cell finds the event.
  if (!access.traced) {
    thread.trace.access(thread, access.addr, access.size, access.pc, cur);
    access.traced = true;
  }
  // Sets of cells, one bit per plane: empty ones, and redundant ones (an
  // earlier access ordered before this one and subsumed by it).
  unsigned empty = 0, redundant = 0;
  uint64_t racing = 0;  // the first unordered conflicting cell
#pragma GCC unroll 4
  for (unsigned i = 0; i < kCellsPerGranule; ++i) {
    const uint64_t old = c[i];
    if (old == 0) {
      empty |= 1u << i;
    } else if (unordered(thread, old)) {
      if (!racing && conflict(cur, old)) racing = old;
    } else if (dominates(cur, old)) {
      redundant |= 1u << i;
    }
  }
  // A plain access always goes to its thread's home cell, the one the
  // inlined fast path reads. A live access there moves to a free cell (if its
  // thread's lock-free fast path misses it meanwhile, that thread only takes
  // the slow path); with no free cell it is evicted, so races with it can
  // then be missed (never invented). Atomics never take the inlined fast
  // path: they reuse a free cell first, on a contended atomic the previous
  // operation's, so one plane's cache line moves between threads, not all.
  // A free cell is a redundant one if any, else an empty one; the home one
  // if it is free, else the first.
  const unsigned home = home_plane(cur);
  const unsigned free_set = redundant ? redundant : empty;
  const unsigned free = free_set >> home & 1 ? home : static_cast<unsigned>(__builtin_ctz(free_set | 16));
  unsigned target = home;
  unsigned written = 0;  // cells stored below, one bit per plane
  if (cur & cell::kAtomic) {
    if (free_set) target = free;
  } else if (free_set && !(free_set >> home & 1) && c[home] != 0) {
    at(free).store(c[home], std::memory_order_relaxed);
    written = 1u << free;
  }
  written |= 1u << target;
  const unsigned emptied = redundant & ~written;
#pragma GCC unroll 4
  for (unsigned i = 0; i < kCellsPerGranule; ++i) {
    if (emptied >> i & 1) at(i).store(0, std::memory_order_relaxed);
  }
  written |= emptied;
  // The full fence: see above. What another thread stored meanwhile is in
  // the cells this access did not write (or was in the one it replaced).
  const uint64_t replaced = at(target).exchange(cur, std::memory_order_seq_cst);
  thread.accessed_in_epoch = true;
  uint64_t changed = replaced ^ c[target];
#pragma GCC unroll 4
  for (unsigned i = 0; i < kCellsPerGranule; ++i) {
    if (!(written >> i & 1)) changed |= at(i).load(std::memory_order_relaxed) ^ c[i];
  }
  if (__builtin_expect(changed != 0, 0) && !racing) {
    auto check = [&](uint64_t now, uint64_t before) {
      if (!racing && now != before && now != 0 && unordered(thread, now) && conflict(cur, now)) racing = now;
    };
    check(replaced, c[target]);
    for (unsigned i = 0; i < kCellsPerGranule; ++i) {
      if (!(written >> i & 1)) check(at(i).load(std::memory_order_relaxed), c[i]);
    }
  }
  return racing;
}

void Shadow::access(ThreadState& thread, uintptr_t addr, size_t size, Pc pc, uint64_t flags) {
  if (size == 0 || addr >> kAddressBits || (addr + size - 1) >> kAddressBits) return;
  Pending access{addr, size, pc, false};
  if (__builtin_expect((addr & 7) + size <= 8, 1)) {  // one granule, most accesses
    const uint64_t mask = ((1u << size) - 1) << (addr & 7);
    const uint64_t racing = access_granule(thread, granule(addr), thread.cell_base | flags | mask, access);
    if (__builtin_expect(racing != 0, 0)) sink_.on_race(thread, addr, size, pc, flags, located(racing, addr));
    return;
  }
  RaceInfo race;  // the first one found
  for (uintptr_t at = addr, end = addr + size; at < end;) {
    const unsigned offset = at & 7;
    const unsigned n = static_cast<unsigned>(std::min<uintptr_t>(8 - offset, end - at));
    const uint64_t mask = ((1u << n) - 1) << offset;
    const uint64_t racing = access_granule(thread, granule(at), thread.cell_base | flags | mask, access);
    if (racing && !race.cell) race = located(racing, at);
    at += n;
  }
  if (race.cell) sink_.on_race(thread, addr, size, pc, flags, race);
}

void Shadow::clear_bytes(Ref ref, unsigned mask) {
  for (unsigned i = 0; i < kCellsPerGranule; ++i) {
    const uint64_t old = ref.cell(i).load(std::memory_order_relaxed);
    if (!old) continue;
    const uint64_t left = old & ~uint64_t{mask};
    ref.cell(i).store(cell::mask(left) ? left : 0, std::memory_order_relaxed);
  }
}

// Empties granules [first, first+count) of a chunk, plane by plane.
void Shadow::clear_chunk_range(Chunk& chunk, size_t first, size_t count) {
  for (unsigned plane = 0; plane < kCellsPerGranule; ++plane) {
    std::atomic<uint64_t>* begin = chunk.cells[plane] + first;
    std::atomic<uint64_t>* end = begin + count;
    if (count * sizeof(uint64_t) < kMadviseMin) {
      zero_cells(begin, end);
      continue;
    }
    const auto [released_begin, released_end] = release_pages(begin, end);
    zero_cells(begin, reinterpret_cast<std::atomic<uint64_t>*>(released_begin));
    zero_cells(reinterpret_cast<std::atomic<uint64_t>*>(released_end), end);
  }
}

void Shadow::reset(uintptr_t addr, size_t size) {
  uintptr_t end = std::min<uintptr_t>(addr + size, uintptr_t{1} << kAddressBits);
  if (addr >= end) return;
  auto partial = [this](uintptr_t from, uintptr_t to) {
    if (Chunk* chunk = find_chunk(from)) {
      clear_bytes({chunk, (from >> 3) & (kGranulesPerChunk - 1)}, ((1u << (to - from)) - 1) << (from & 7));
    }
  };
  const uintptr_t head_end = std::min(end, (addr + 7) & ~uintptr_t{7});
  if (addr < head_end) partial(addr, head_end);
  addr = head_end;
  const uintptr_t tail_begin = std::max(addr, end & ~uintptr_t{7});
  if (tail_begin < end) partial(tail_begin, end);
  end = tail_begin;
  while (addr < end) {
    const uintptr_t chunk_end = std::min(end, ((addr >> kChunkShift) + 1) << kChunkShift);
    if (Chunk* chunk = find_chunk(addr)) {
      clear_chunk_range(*chunk, (addr >> 3) & (kGranulesPerChunk - 1), (chunk_end - addr) >> 3);
    }
    addr = chunk_end;
  }
}

}  // namespace conc::engine
