// conc-hazard: 27 consumers wait forever at shutdown: the producer ends without a sentinel
// conc-expect-runtime: hang
// conc-expect-lint: none
// conc-run: timeout=10
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <queue>
#include <thread>

std::mutex mu;
std::condition_variable ready;
std::queue<int> jobs;
long total;

void consume() {
  for (;;) {
    std::unique_lock<std::mutex> lock(mu);
    ready.wait(lock, [] { return !jobs.empty(); });  // after the last job: forever
    total += jobs.front();
    jobs.pop();
  }
}

int main() {
  std::thread c1(consume), c2(consume);
  for (int i = 1; i <= 100; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      jobs.push(i);
    }
    ready.notify_one();
  }
  c1.join();
  c2.join();
  std::printf("total = %ld\n", total);
}
