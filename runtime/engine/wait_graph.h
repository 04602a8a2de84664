// The wait-for graph of the runtime's deadlock and hang watchdog: for every
// live program thread, what it is blocked on right now (a mutex, a writer
// lock, a thread it joins, a condition variable, a semaphore, a barrier), or
// nothing. The blocking interceptors record a wait before they block and
// clear it after; the watchdog takes snapshots and searches them. Pure data
// and searches, unit-tested; timing and reporting are the runtime's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "engine/engine.h"
#include "engine/spin_lock.h"

namespace conc::engine {

// Lock: a mutex, or a reader-writer lock (whose writer is its owner).
// Futex: a futex wait made by the program itself (C++20 atomic waits, which
// std::counting_semaphore, std::barrier and std::latch are built on).
enum class WaitKind : uint8_t { Lock, Join, Cond, Semaphore, Barrier, Futex };

struct Wait {
  WaitKind kind = WaitKind::Lock;
  uintptr_t object = 0;     // the lock, condition, semaphore, barrier or futex word
  Tid target = 0;           // Join: the joined thread
  bool timed = false;       // ends by itself: the thread counts as runnable
  uint32_t stack = 0;       // Engine::stack_handle where it blocked
  uint64_t serial = 0;      // unique per wait: an unchanged serial means still the same wait
  uint64_t started_ns = 0;  // CLOCK_MONOTONIC when it began
};

struct ThreadWait {
  Tid tid = 0;
  std::optional<Wait> wait;  // empty: running
};

class WaitGraph {
 public:
  void thread_started(Tid tid);
  void thread_finished(Tid tid);
  void begin(Tid tid, Wait wait);  // sets wait.serial
  void end(Tid tid);
  // Every live thread, ascending tid.
  std::vector<ThreadWait> snapshot() const;

 private:
  mutable SpinLock lock_;
  std::unordered_map<Tid, std::optional<Wait>> threads_;
  uint64_t next_serial_ = 1;
};

// Who a waiting thread waits for: the lock's owner or the joined thread;
// empty when nobody (the lock is free, or owned by a thread not in the graph).
using WaitTarget = std::function<std::optional<Tid>(const ThreadWait&)>;

// A cycle of threads, each waiting for the next (the last for the first); a
// single thread waiting for itself is a cycle too. Empty when there is none.
std::vector<ThreadWait> find_wait_cycle(const std::vector<ThreadWait>& threads, const WaitTarget& target);

// True when every thread is blocked in an untimed wait (none can run, so none
// can wake another). An empty list is not a hang.
bool all_blocked(const std::vector<ThreadWait>& threads);

}  // namespace conc::engine
