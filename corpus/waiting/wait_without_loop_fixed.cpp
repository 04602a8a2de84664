// conc-hazard: 26 wait without a loop (fixed: the predicate overload re-checks the queue after every wakeup)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <queue>
#include <thread>

std::mutex queue_mutex;
std::condition_variable queue_changed;
std::queue<int> jobs;

int take() {
  std::unique_lock<std::mutex> lock(queue_mutex);
  queue_changed.wait(lock, [] { return !jobs.empty(); });
  int job = jobs.front();
  jobs.pop();
  return job;
}

int main() {
  std::thread consumer([] { std::printf("took %d\n", take()); });
  {
    std::lock_guard<std::mutex> lock(queue_mutex);
    jobs.push(42);
  }
  queue_changed.notify_one();
  consumer.join();
}
