// Lock-heavy: a bounded producer-consumer queue under a mutex and two
// condition variables, plus a counter under contention.
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

class BoundedQueue {
 public:
  void push(int value) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < 64; });
    items_.push_back(value);
    not_empty_.notify_one();
  }
  int pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty(); });
    int value = items_.front();
    items_.pop_front();
    not_full_.notify_one();
    return value;
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<int> items_;
};

int main() {
  constexpr int items = 100000, pairs = 2, increments = 200000;
  BoundedQueue queue;
  std::mutex counter_mutex;
  long counter = 0, sum = 0;
  std::mutex sum_mutex;
  std::vector<std::thread> threads;
  for (int p = 0; p < pairs; ++p) {
    threads.emplace_back([&] {
      for (int i = 0; i < items; ++i) queue.push(i);
    });
    threads.emplace_back([&] {
      long local = 0;
      for (int i = 0; i < items; ++i) local += queue.pop();
      std::lock_guard<std::mutex> lock(sum_mutex);
      sum += local;
    });
    threads.emplace_back([&] {
      for (int i = 0; i < increments; ++i) {
        std::lock_guard<std::mutex> lock(counter_mutex);
        ++counter;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::printf("%ld %ld\n", counter, sum);
}
