// conc-hazard: 27 consumer waits forever at shutdown: the std::jthread worker waits on a std::condition_variable that its stop request cannot wake
// conc-expect-runtime: hang
// conc-expect-lint: none
// conc-run: timeout=10
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

std::mutex queue_mutex;
std::condition_variable queue_changed, item_handled;
std::deque<int> queue;
long handled;

void work(std::stop_token stop) {
  std::unique_lock<std::mutex> lock(queue_mutex);
  while (!stop.stop_requested()) {
    // Waits for work only: request_stop() wakes nobody here.
    queue_changed.wait(lock, [] { return !queue.empty(); });
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
}  // ~jthread: request_stop(), then join() -- for ever
