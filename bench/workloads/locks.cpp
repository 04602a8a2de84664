// Lock-heavy: a bounded producer-consumer queue under a mutex and two
// condition variables, plus a counter under contention. argv[1] is the
// number of items each producer sends (default 100,000; the counter gets
// twice as many increments per thread).
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
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

int main(int argc, char** argv) {
  constexpr int pairs = 2;
  const int items = argc > 1 ? std::atoi(argv[1]) : 100000, increments = 2 * items;
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
