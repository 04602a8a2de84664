// Lock state for the runtime's lock analyses: which thread holds each
// exclusively locked mutex (or rwlock as writer), how deeply, and where it
// took it; and which mutex each condition variable's current waiters use.
// Misuse, abandoned-lock, deadlock and fork checks read it. Unlike the
// engine's per-thread held-lock list, it is keyed by lock address, so other
// threads (the watchdog, a freeing thread, the exiting one) can ask about a
// lock they do not hold.
//
// Sharded by page like the sync table, so a freed range visits only its
// pages' shards. A record outlives its last unlock (owner kNoOwner) so the
// lock/unlock fast path finds it without allocating; destroy and free erase
// it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "engine/engine.h"
#include "engine/spin_lock.h"

namespace conc::engine {

struct LockHold {
  static constexpr Tid kNoOwner = ~Tid{0};
  uintptr_t lock = 0;
  Tid owner = kNoOwner;
  uint32_t depth = 0;        // recursive acquisitions by the owner
  uint32_t acquired_at = 0;  // Engine::stack_handle of the outermost acquisition
  bool robust = false;       // owner death is part of the protocol (EOWNERDEAD), not a bug
};

class LockTable {
 public:
  void acquired(uintptr_t lock, Tid owner, uint32_t acquired_at, bool robust);
  // One level of `owner`'s hold ends; false (and nothing changes) when
  // `owner` did not hold the lock.
  bool released(uintptr_t lock, Tid owner);
  // The lock's record when it is held.
  std::optional<LockHold> held(uintptr_t lock) const;
  // Every held lock (of one owner): thread exit, process exit, fork.
  std::vector<LockHold> held_by(Tid owner) const;
  std::vector<LockHold> all_held() const;
  // Forgets the locks in [addr, addr+size) and returns those that were held.
  std::vector<LockHold> erase(uintptr_t addr, size_t size);

 private:
  static constexpr unsigned kShards = 64;
  struct Shard {
    mutable SpinLock lock;
    std::map<uintptr_t, LockHold> holds;
  };
  static Shard& shard_of(Shard* shards, uintptr_t addr);
  template <typename Keep> std::vector<LockHold> collect(Keep keep) const;

  Shard shards_[kShards];
};

// Condition variables bind to one mutex while they have waiters (POSIX's
// "dynamic binding"); a wait with another mutex meanwhile is undefined.
class CondBindings {
 public:
  // A wait on `cond` with `mutex` starts; returns the other mutex the current
  // waiters use, or 0.
  uintptr_t wait_begins(uintptr_t cond, uintptr_t mutex);
  void wait_ends(uintptr_t cond);

 private:
  struct Binding {
    uintptr_t mutex = 0;
    uint32_t waiters = 0;
  };
  SpinLock lock_;
  std::map<uintptr_t, Binding> bindings_;
};

}  // namespace conc::engine
