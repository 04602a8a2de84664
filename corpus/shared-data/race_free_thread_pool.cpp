// conc-hazard: race-free shape: a divide-and-conquer sum on a small thread pool with futures
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <future>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

class ThreadPool {
 public:
  explicit ThreadPool(int size) {
    for (int i = 0; i < size; ++i) workers_.emplace_back([this] { run(); });
  }
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& worker : workers_) worker.join();
  }
  std::future<long> submit(std::function<long()> job) {
    auto task = std::make_shared<std::packaged_task<long()>>(std::move(job));
    std::future<long> result = task->get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push([task] { (*task)(); });
    }
    wake_.notify_one();
    return result;
  }

 private:
  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::queue<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

int main() {
  std::vector<long> numbers(4000);
  for (size_t i = 0; i < numbers.size(); ++i) numbers[i] = static_cast<long>(i);
  ThreadPool pool(3);
  std::vector<std::future<long>> parts;
  for (size_t begin = 0; begin < numbers.size(); begin += 1000) {
    parts.push_back(pool.submit([&numbers, begin] {
      long sum = 0;
      for (size_t i = begin; i < begin + 1000; ++i) sum += numbers[i];
      return sum;
    }));
  }
  long total = 0;
  for (auto& part : parts) total += part.get();
  std::printf("total = %ld\n", total);
}
