// Lock state for the runtime's lock analyses: which thread holds each
// exclusively locked mutex (or rwlock as writer), how deeply, and where it
// took it; per-lock statistics (acquisitions, waits, holds, who keeps taking
// it); and which mutex each condition variable's current waiters use.
// Misuse, abandoned-lock, deadlock, fork, starvation and contention checks
// read it. Unlike the engine's per-thread held-lock list, it is keyed by lock
// address, so other threads (the watchdog, a freeing thread, the exiting one)
// can ask about a lock they do not hold.
//
// Sharded by page like the sync table, so a freed range visits only its
// pages' shards. A record outlives its last unlock (owner kNoOwner) so the
// lock/unlock fast path finds it without allocating; destroy and free erase
// it, keeping the statistics of the most contended erased locks in a small
// bounded list so a program that creates millions of locks stays bounded.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "engine/engine.h"
#include "engine/spin_lock.h"

namespace conc::engine {

// An exclusive hold (the owner) or a reader's hold of a reader-writer lock.
struct LockHold {
  static constexpr Tid kNoOwner = ~Tid{0};
  uintptr_t lock = 0;
  Tid owner = kNoOwner;
  uint32_t depth = 0;        // recursive acquisitions by the owner
  uint32_t acquired_at = 0;  // Engine::stack_handle of the outermost acquisition
  bool robust = false;       // owner death is part of the protocol (EOWNERDEAD), not a bug
  bool shared = false;       // a reader's hold
};

// One acquisition as the interceptors saw it.
struct Acquisition {
  Tid owner = 0;
  uint32_t stack = 0;    // Engine::stack_handle of the acquisition
  bool robust = false;   // see LockHold::robust
  bool shared = false;   // a reader: counted, but owns nothing
  bool waited = false;   // the lock was busy, so the thread blocked
  uint64_t wait_ns = 0;  // how long it blocked
  uint64_t now_ns = 0;   // when it got the lock, for hold times; 0: holds are not timed
};

// A thread that took a lock, with its running count of acquisitions.
struct LockTaker {
  Tid tid = LockHold::kNoOwner;
  uint64_t count = 0;
  uint32_t last_at = 0;  // stack handle of its latest acquisition
  bool shared = false;   // its latest acquisition was a reader's
};

struct LockStats {
  uintptr_t lock = 0;
  uint32_t site = 0;     // stack handle where it was created, else where first locked
  bool created = false;  // `site` is the creation (init) call
  uint64_t acquisitions = 0;
  uint64_t contended = 0;  // acquisitions that had to wait
  uint64_t total_wait_ns = 0, max_wait_ns = 0;
  uint64_t total_hold_ns = 0, max_hold_ns = 0;  // exclusive holds, when timed
};

// Who recently took a lock, and how often: the starvation check compares two
// of these taken some time apart.
struct LockActivity {
  static constexpr size_t kTakers = 4;
  uint64_t acquisitions = 0;
  std::array<LockTaker, kTakers> takers;
  // `tid`'s acquisitions since `earlier` (all of them when it was not listed).
  uint64_t taken_since(const LockActivity& earlier, Tid tid) const;
};

class LockTable {
 public:
  // init: a fresh lock at `lock` (statistics of an earlier one there start over).
  void created(uintptr_t lock, uint32_t site);
  void acquired(uintptr_t lock, const Acquisition& a);
  // One level of `owner`'s hold ends; false (and nothing changes) when
  // `owner` did not hold the lock. `now_ns` as in Acquisition.
  bool released(uintptr_t lock, Tid owner, uint64_t now_ns = 0);
  // One level of reader `tid`'s hold ends.
  void released_shared(uintptr_t lock, Tid tid);
  // A thread holding the lock, exclusively or else as a reader (the owner of
  // any hold keeps a writer out).
  std::optional<LockHold> holder(uintptr_t lock) const;
  std::optional<LockActivity> activity(uintptr_t lock) const;
  std::optional<LockStats> stats(uintptr_t lock) const;
  // Live and erased locks with contended acquisitions, most total wait first.
  std::vector<LockStats> most_contended(size_t limit) const;
  // destroy: forgets the lock (its statistics go to the erased list).
  void destroyed(uintptr_t lock);
  // The lock's exclusive hold, when it is held so.
  std::optional<LockHold> held(uintptr_t lock) const;
  // Every hold, readers' included (of one owner): thread exit, process exit, fork.
  std::vector<LockHold> held_by(Tid owner) const;
  std::vector<LockHold> all_held() const;
  // Forgets the locks in [addr, addr+size) and returns those that were held.
  std::vector<LockHold> erase(uintptr_t addr, size_t size);

 private:
  static constexpr unsigned kShards = 64;
  static constexpr size_t kErasedKept = 64;
  struct Record {
    LockHold hold;
    std::vector<LockHold> readers;  // one per reading thread
    LockStats stats;
    LockActivity activity;
    uint64_t held_since_ns = 0;
  };
  struct Shard {
    mutable SpinLock lock;
    std::map<uintptr_t, Record> records;
  };
  static Shard& shard_of(Shard* shards, uintptr_t addr);
  template <typename Keep>
  std::vector<LockHold> collect(Keep keep) const;
  void keep_erased(const LockStats& stats);

  Shard shards_[kShards];
  mutable SpinLock erased_lock_;
  std::vector<LockStats> erased_;  // at most kErasedKept, the most contended
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
