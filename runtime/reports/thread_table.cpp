// The thread table behind "Thread T1 (tid=..., running)".
#include "reports/thread_table.h"

#include <mutex>

namespace conc::rt {

void ThreadTable::started(engine::Tid tid, int os_tid) {
  std::lock_guard guard(lock_);
  threads_[tid] = {os_tid, true};
}

void ThreadTable::finished(engine::Tid tid) {
  std::lock_guard guard(lock_);
  threads_[tid].running = false;
}

ThreadTable::Status ThreadTable::status(engine::Tid tid) const {
  std::lock_guard guard(lock_);
  auto it = threads_.find(tid);
  return it == threads_.end() ? Status{} : it->second;
}

}  // namespace conc::rt
