// Sync objects: the vector clock attached to an address that is released
// into and acquired from (mutexes, atomics, annotations).
//
// The table is sharded by page so that forgetting every object in a freed
// range visits only the shards of that range; each shard is an ordered map
// under its own spinlock.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "engine/clock.h"
#include "engine/spin_lock.h"

namespace conc::engine {

struct SyncVar {
  VectorClock clock;       // exclusive unlocks, release stores, annotations
  VectorClock read_clock;  // shared unlocks; only exclusive lockers acquire it
  bool in_lock_graph = false;
};

// A sync object with its shard locked; `var` is null when the lookup did not
// create one.
struct SyncRef {
  SpinLock* lock = nullptr;
  SyncVar* var = nullptr;
};

class SyncTable {
 public:
  SyncRef lock(uintptr_t addr, bool create);
  static void unlock(SyncRef& ref);
  // Forgets every object in [addr, addr+size); returns the addresses of
  // those that were lock-graph nodes.
  std::vector<uintptr_t> erase(uintptr_t addr, size_t size);

 private:
  static constexpr unsigned kShards = 64;
  static constexpr unsigned kPageShift = 12;
  struct alignas(64) Shard {
    SpinLock lock;
    std::map<uintptr_t, SyncVar> vars;
  };
  static unsigned shard_of(uintptr_t addr);
  void erase_in_shard(Shard& shard, uintptr_t begin, uintptr_t end, std::vector<uintptr_t>& graph_nodes);

  Shard shards_[kShards];
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
