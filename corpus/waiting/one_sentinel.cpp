// conc-hazard: 28 one sentinel for many consumers: three consumers, one poison pill, two wait forever
// conc-expect-runtime: hang
// conc-expect-lint: none
// conc-run: timeout=10
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

constexpr int kStop = -1;

class JobQueue {
 public:
  void push(int job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push(job);
    }
    ready_.notify_one();
  }

  int pop() {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [this] { return !jobs_.empty(); });
    int job = jobs_.front();
    jobs_.pop();
    return job;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::queue<int> jobs_;
};

JobQueue queue;
std::mutex total_mu;
long total;

void consume() {
  for (int job; (job = queue.pop()) != kStop;) {
    std::lock_guard<std::mutex> lock(total_mu);
    total += job;
  }
}

int main() {
  std::vector<std::thread> consumers;
  for (int i = 0; i < 3; ++i) consumers.emplace_back(consume);
  for (int job = 1; job <= 100; ++job) queue.push(job);
  queue.push(kStop);  // one pill: the first consumer to take it ends, the others block in pop()
  for (auto& consumer : consumers) consumer.join();
  std::printf("total = %ld\n", total);
}
