// conc-hazard: 27 consumer waits forever at shutdown (fixed: std::condition_variable_any waits with the stop token, so request_stop() wakes it)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

std::mutex queue_mutex;
std::condition_variable_any queue_changed, item_handled;
std::deque<int> queue;
long handled;

void work(std::stop_token stop) {
  std::unique_lock<std::mutex> lock(queue_mutex);
  while (queue_changed.wait(lock, stop, [] { return !queue.empty(); })) {
    handled += queue.front();
    queue.pop_front();
    item_handled.notify_all();
  }
}

int main() {
  std::jthread worker(work);
  std::unique_lock<std::mutex> lock(queue_mutex);
  queue.push_back(1);
  queue_changed.notify_one();
  item_handled.wait(lock, [] { return handled == 1; });
  std::printf("handled %ld\n", handled);
}  // ~jthread: request_stop() wakes the wait, then join()
