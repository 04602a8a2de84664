// conc-hazard: 3 bounded producer-consumer queue: size(), polled by a monitor thread, reads the count without the queue's mutex
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:31
// conc-run: timeout=10
#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

class BoundedQueue {
 public:
  void push(int item) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [this] { return count_ < slots_.size(); });
    slots_[(head_ + count_) % slots_.size()] = item;
    ++count_;
    not_empty_.notify_one();
  }
  int pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [this] { return count_ > 0; });
    int item = slots_[head_];
    head_ = (head_ + 1) % slots_.size();
    --count_;
    not_full_.notify_one();
    return item;
  }
  // "Only for the monitor's statistics", so it skips the lock.
  size_t size() const { return count_; }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::array<int, 4> slots_{};
  size_t head_ = 0, count_ = 0;
};

int main() {
  BoundedQueue queue;
  std::thread consumer([&] {
    long sum = 0;
    for (int i = 0; i < 100; ++i) sum += queue.pop();
    std::printf("sum = %ld\n", sum);
  });
  std::thread monitor([&] {
    size_t fullest = 0;
    for (int i = 0; i < 200; ++i) fullest = std::max(fullest, queue.size());
    std::printf("fullest: %zu\n", fullest);
  });
  for (int i = 0; i < 100; ++i) queue.push(i);
  consumer.join();
  monitor.join();
}
