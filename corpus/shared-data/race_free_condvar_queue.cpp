// conc-hazard: race-free shape: a bounded producer-consumer queue with condition variables
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

class BoundedQueue {
 public:
  void push(int value) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [this] { return items_.size() < 8; });
    items_.push_back(value);
    not_empty_.notify_one();
  }
  int pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (items_.empty())
      not_empty_.wait(lock);
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

BoundedQueue queue;

int main() {
  std::thread producer([] { for (int i = 1; i <= 1000; ++i) queue.push(i); });
  long sum = 0;
  std::thread consumer([&sum] { for (int i = 0; i < 1000; ++i) sum += queue.pop(); });
  producer.join();
  consumer.join();
  std::printf("sum = %ld\n", sum);
}
