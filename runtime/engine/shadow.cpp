#include "engine/shadow.h"

#include <sys/mman.h>

#include <algorithm>

#include "engine/os_memory.h"
#include "engine/thread.h"

namespace conc::engine {
namespace {

constexpr size_t kPage = 4096;
// Below this many bytes of shadow, clearing by stores is cheaper than
// madvise (a syscall plus TLB shootdowns in every thread).
constexpr size_t kMadviseMin = 512 * 1024;

unsigned popcount(unsigned x) { return static_cast<unsigned>(__builtin_popcount(x)); }

// Whether `cur` makes the earlier `old` (of the same thread or ordered before
// it) redundant: every later access that would race with `old` races with
// `cur` too. `cur` must cover old's bytes, be a write if old was, and be plain
// if old was plain (an atomic does not race with a later atomic).
bool dominates(uint64_t cur, uint64_t old) {
  return (cell::mask(old) & ~cell::mask(cur)) == 0 && (!(old & cell::kWrite) || (cur & cell::kWrite)) &&
         (!(cur & cell::kAtomic) || (old & cell::kAtomic));
}

}  // namespace

Shadow::Shadow() : chunks_(static_cast<std::atomic<Granule*>*>(map_zeroed(kL1Entries * sizeof(Granule*)))) {}

Shadow::~Shadow() {
  for (Granule* chunk : mapped_) unmap(chunk, kChunkBytes);
  unmap(chunks_, kL1Entries * sizeof(Granule*));
}

Granule* Shadow::find_granule(uintptr_t addr) const {
  Granule* chunk = chunks_[addr >> kChunkShift].load(std::memory_order_acquire);
  return chunk ? chunk + ((addr >> 3) & (kGranulesPerChunk - 1)) : nullptr;
}

Granule* Shadow::granule(uintptr_t addr) {
  std::atomic<Granule*>& slot = chunks_[addr >> kChunkShift];
  Granule* chunk = slot.load(std::memory_order_acquire);
  if (__builtin_expect(!chunk, 0)) {
    Granule* fresh = static_cast<Granule*>(map_zeroed(kChunkBytes));
    if (slot.compare_exchange_strong(chunk, fresh, std::memory_order_acq_rel)) {
      chunk = fresh;
      SpinGuard guard(mapped_lock_);
      mapped_.push_back(fresh);
    } else {
      unmap(fresh, kChunkBytes);
    }
  }
  return chunk + ((addr >> 3) & (kGranulesPerChunk - 1));
}

bool Shadow::access(ThreadState& thread, StackDepot& depot, uintptr_t addr, size_t size, Pc pc, uint64_t flags,
                    RaceInfo& race) {
  if (size == 0 || addr >> kAddressBits || (addr + size - 1) >> kAddressBits) return false;
  bool found = false;
  const uintptr_t end = addr + size;
  while (addr < end) {
    const unsigned offset = addr & 7;
    const unsigned n = static_cast<unsigned>(std::min<uintptr_t>(8 - offset, end - addr));
    const uint64_t mask = ((1u << n) - 1) << offset;
    RaceInfo here;
    if (access_granule(thread, depot, *granule(addr), thread.cell_base | flags | mask, pc, here) && !found) {
      race = here;
      race.addr = (addr & ~uintptr_t{7}) + static_cast<unsigned>(__builtin_ctz(cell::mask(here.cell)));
      race.size = popcount(cell::mask(here.cell));
      found = true;
    }
    addr += n;
  }
  return found;
}

bool Shadow::access_granule(ThreadState& thread, StackDepot& depot, Granule& g, uint64_t cur, Pc pc,
                            RaceInfo& race) {
  // Fast path, no lock: this thread already recorded an access at this epoch
  // that covers this one, so nothing would change.
  for (auto& c : g.cells) {
    const uint64_t old = c.load(std::memory_order_relaxed);
    if ((old & cell::kSlotEpochBits) == thread.cell_base && dominates(old, cur)) return false;
  }

  const bool write = cur & cell::kWrite, atomic = cur & cell::kAtomic;
  bool found = false;
  int replace = -1, empty = -1;
  SpinGuard guard(g.lock);
  for (int i = 0; i < static_cast<int>(Granule::kCells); ++i) {
    const uint64_t old = g.cells[i].load(std::memory_order_relaxed);
    if (old == 0) {
      if (empty < 0) empty = i;
      continue;
    }
    const bool ordered = thread.clock.get(cell::slot(old)) >= cell::epoch(old);
    if (!ordered && !found && (cell::mask(old) & cell::mask(cur)) && (write || (old & cell::kWrite)) &&
        !(atomic && (old & cell::kAtomic))) {
      race.cell = old;
      race.stack = g.stacks[i].load(std::memory_order_relaxed);
      found = true;
    }
    // An earlier access ordered before this one and subsumed by it is
    // redundant: reuse its cell, and drop further redundant ones.
    if (ordered && dominates(cur, old)) {
      if (replace < 0) {
        replace = i;
      } else {
        g.cells[i].store(0, std::memory_order_relaxed);
      }
    }
  }
  // Eviction when every cell holds a live, unordered access: a pseudo-random
  // victim. Races with the evicted access can then be missed (never invented).
  int target = replace >= 0 ? replace : empty;
  if (target < 0) {
    thread.random ^= thread.random << 13;
    thread.random ^= thread.random >> 17;
    thread.random ^= thread.random << 5;
    target = static_cast<int>(thread.random % Granule::kCells);
  }
  g.stacks[target].store(thread.stack.id(depot, pc), std::memory_order_relaxed);
  g.cells[target].store(cur, std::memory_order_relaxed);
  thread.accessed_in_epoch = true;
  return found;
}

void Shadow::clear_bytes(Granule& g, unsigned mask) {
  SpinGuard guard(g.lock);
  for (auto& c : g.cells) {
    const uint64_t old = c.load(std::memory_order_relaxed);
    if (!old) continue;
    const uint64_t left = old & ~uint64_t{mask};
    c.store(cell::mask(left) ? left : 0, std::memory_order_relaxed);
  }
}

void Shadow::clear_granules(Granule* first, size_t count) {
  auto zero = [](Granule* from, Granule* to) {
    for (Granule* g = from; g < to; ++g) {
      for (auto& c : g->cells) c.store(0, std::memory_order_relaxed);
    }
  };
  Granule* last = first + count;
  if (count * sizeof(Granule) < kMadviseMin) return zero(first, last);
  auto* page_begin = reinterpret_cast<Granule*>((reinterpret_cast<uintptr_t>(first) + kPage - 1) & ~(kPage - 1));
  auto* page_end = reinterpret_cast<Granule*>(reinterpret_cast<uintptr_t>(last) & ~(kPage - 1));
  zero(first, page_begin);
  madvise(page_begin, reinterpret_cast<char*>(page_end) - reinterpret_cast<char*>(page_begin), MADV_DONTNEED);
  zero(page_end, last);
}

void Shadow::reset(uintptr_t addr, size_t size) {
  uintptr_t end = std::min<uintptr_t>(addr + size, uintptr_t{1} << kAddressBits);
  if (addr >= end) return;
  auto partial = [this](uintptr_t from, uintptr_t to) {
    if (Granule* g = find_granule(from)) clear_bytes(*g, ((1u << (to - from)) - 1) << (from & 7));
  };
  const uintptr_t head_end = std::min(end, (addr + 7) & ~uintptr_t{7});
  if (addr < head_end) partial(addr, head_end);
  addr = head_end;
  const uintptr_t tail_begin = std::max(addr, end & ~uintptr_t{7});
  if (tail_begin < end) partial(tail_begin, end);
  end = tail_begin;
  while (addr < end) {
    const uintptr_t chunk_end = std::min(end, ((addr >> kChunkShift) + 1) << kChunkShift);
    if (Granule* g = find_granule(addr)) clear_granules(g, (chunk_end - addr) >> 3);
    addr = chunk_end;
  }
}

}  // namespace conc::engine
