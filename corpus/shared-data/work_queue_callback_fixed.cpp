// conc-hazard: 1 data race in a task run by a thread pool (fixed: a mutex guards the statistics)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

// Worker threads take tasks from a queue until the pool is destroyed.
class WorkQueue {
 public:
  explicit WorkQueue(int threads) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~WorkQueue() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread &worker : workers_) worker.join();
  }
  void submit(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

long bytes_served;
std::mutex stats_mutex;

void serve_request(int size) {
  std::this_thread::sleep_for(std::chrono::microseconds(50));  // the request's own work
  std::lock_guard<std::mutex> lock(stats_mutex);
  bytes_served += size;
}

int main() {
  {
    WorkQueue pool(4);
    for (int i = 0; i < 1000; ++i) pool.submit([i] { serve_request(i % 100); });
  }
  std::printf("served %ld bytes\n", bytes_served);
}
