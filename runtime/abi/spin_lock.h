// A raw spin lock for the runtime's own tables (thread map, reporter, thread
// table). It must not be a pthread mutex: those go through our interceptors
// and would feed the detector with the runtime's own locking.
#pragma once

#include <sched.h>

#include <atomic>

namespace conc::rt {

class SpinLock {
 public:
  void lock() {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      while (locked_.load(std::memory_order_relaxed)) sched_yield();
    }
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace conc::rt
