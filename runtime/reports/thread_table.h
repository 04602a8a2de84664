// What reports say about threads beyond the engine's ThreadInfo: the OS
// thread id and whether the thread is still running. Filled by the thread
// interceptors.
#pragma once

#include <unordered_map>

#include "abi/spin_lock.h"
#include "engine/engine.h"

namespace conc::rt {

class ThreadTable {
 public:
  struct Status {
    int os_tid = 0;
    bool running = false;
  };
  void started(engine::Tid tid, int os_tid);
  void finished(engine::Tid tid);
  Status status(engine::Tid tid) const;

 private:
  mutable SpinLock lock_;
  std::unordered_map<engine::Tid, Status> threads_;
};

}  // namespace conc::rt
