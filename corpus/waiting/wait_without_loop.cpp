// conc-hazard: 26 wait without a loop: the consumer waits under `if`, so a spurious wakeup takes an empty queue
// conc-expect-runtime: none
// conc-expect-lint: wait-without-loop:18
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
  if (jobs.empty())
    // A spurious wakeup returns here with the queue still empty.
    queue_changed.wait(lock);
  if (jobs.empty())
    return -1;
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
