// Sync objects: the vector clock attached to an address that is released
// into and acquired from (mutexes, atomics, annotations).
//
// Each object has its own spinlock, held while its clocks are used (from
// atomic_before to atomic_after for atomics). Lookups go first through a
// lock-free, direct-mapped cache of object pointers (an atomic pointer per
// slot, validated by the object's address under its lock), then to the
// authoritative table: sharded by page, so that forgetting every object in a
// freed range visits only the shards of that range, each shard an ordered
// map under its own spinlock. Objects are never freed, only recycled through
// their shard's free list, so a stale cache entry always points to a valid
// object whose lock can be taken to find out it is stale.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "engine/clock.h"
#include "engine/spin_lock.h"

namespace conc::engine {

// What a sync object records; reset to this when its address is forgotten.
struct SyncState {
  VectorClock clock;       // exclusive unlocks, release stores, annotations
  VectorClock read_clock;  // shared unlocks; only exclusive lockers acquire it
  bool in_lock_graph = false;
};

struct SyncVar : SyncState {
  SpinLock lock;
  // Which address the object stands for, if any (guarded by `lock`).
  uintptr_t addr = 0;
  bool live = false;
};

// A locked sync object; null when the lookup did not create one.
struct SyncRef {
  SyncVar* var = nullptr;
};

class SyncTable {
 public:
  SyncTable() = default;
  ~SyncTable();
  SyncTable(const SyncTable&) = delete;
  SyncTable& operator=(const SyncTable&) = delete;

  SyncRef lock(uintptr_t addr, bool create);
  static void unlock(SyncRef& ref);
  // Forgets every object in [addr, addr+size); returns the addresses of
  // those that were lock-graph nodes.
  std::vector<uintptr_t> erase(uintptr_t addr, size_t size);

 private:
  static constexpr unsigned kShards = 64;
  static constexpr unsigned kPageShift = 12;
  static constexpr size_t kCacheSize = 4096;
  struct alignas(64) Shard {
    SpinLock lock;
    std::map<uintptr_t, SyncVar*> vars;
    std::vector<SyncVar*> free;  // recycled objects, reused before allocating
  };
  static unsigned shard_of(uintptr_t addr);
  std::atomic<SyncVar*>& cached(uintptr_t addr);
  SyncVar* lock_slow(uintptr_t addr, bool create);
  void erase_in_shard(Shard& shard, uintptr_t begin, uintptr_t end, std::vector<uintptr_t>& graph_nodes);

  Shard shards_[kShards];
  std::atomic<SyncVar*> cache_[kCacheSize] = {};
  std::atomic<size_t> count_{0};
};

class SyncGuard {
 public:
  SyncGuard(SyncTable& table, uintptr_t addr, bool create) : ref_(table.lock(addr, create)) {}
  ~SyncGuard() { SyncTable::unlock(ref_); }
  SyncGuard(const SyncGuard&) = delete;
  SyncGuard& operator=(const SyncGuard&) = delete;
  SyncVar* var() const { return ref_.var; }

 private:
  SyncRef ref_;
};

}  // namespace conc::engine
