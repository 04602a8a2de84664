// WaitGraph bookkeeping and its two searches.
#include "engine/wait_graph.h"

#include <algorithm>
#include <map>

namespace conc::engine {

void WaitGraph::thread_started(Tid tid) {
  SpinGuard guard(lock_);
  threads_[tid].reset();
}

void WaitGraph::thread_finished(Tid tid) {
  SpinGuard guard(lock_);
  threads_.erase(tid);
}

void WaitGraph::begin(Tid tid, Wait wait) {
  SpinGuard guard(lock_);
  wait.serial = next_serial_++;
  threads_[tid] = wait;
}

void WaitGraph::end(Tid tid) {
  SpinGuard guard(lock_);
  auto it = threads_.find(tid);
  if (it != threads_.end()) it->second.reset();
}

std::vector<ThreadWait> WaitGraph::snapshot() const {
  std::vector<ThreadWait> result;
  {
    SpinGuard guard(lock_);
    result.reserve(threads_.size());
    for (const auto& [tid, wait] : threads_) result.push_back({tid, wait});
  }
  std::sort(result.begin(), result.end(),
            [](const ThreadWait& a, const ThreadWait& b) { return a.tid < b.tid; });
  return result;
}

std::vector<ThreadWait> find_wait_cycle(const std::vector<ThreadWait>& threads, const WaitTarget& target) {
  std::map<Tid, const ThreadWait*> by_tid;
  for (const ThreadWait& t : threads) by_tid[t.tid] = &t;
  // Each thread has at most one successor, so walking from every start finds
  // any cycle; a walk stops at a node an earlier walk already cleared.
  std::map<Tid, int> visited;  // walk number
  int walk = 0;
  for (const ThreadWait& start : threads) {
    ++walk;
    std::vector<const ThreadWait*> path;
    const ThreadWait* t = &start;
    while (t && t->wait && !visited.count(t->tid)) {
      visited[t->tid] = walk;
      path.push_back(t);
      std::optional<Tid> next = target(*t);
      auto it = next ? by_tid.find(*next) : by_tid.end();
      t = it == by_tid.end() ? nullptr : it->second;
    }
    if (!t || !t->wait || visited[t->tid] != walk) continue;
    auto first = std::find(path.begin(), path.end(), t);
    std::vector<ThreadWait> cycle;
    for (auto it = first; it != path.end(); ++it) cycle.push_back(**it);
    return cycle;
  }
  return {};
}

bool all_blocked(const std::vector<ThreadWait>& threads) {
  return !threads.empty() && std::all_of(threads.begin(), threads.end(),
                                         [](const ThreadWait& t) { return t.wait && !t.wait->timed; });
}

}  // namespace conc::engine
