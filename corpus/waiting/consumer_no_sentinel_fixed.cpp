// conc-hazard: 27 consumers wait forever at shutdown, fixed: a done flag, broadcast, ends every consumer
// conc-expect-runtime: none
// conc-expect-lint: none
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <queue>
#include <thread>

std::mutex mu;
std::condition_variable ready;
std::queue<int> jobs;
bool done;
long total;

void consume() {
  for (;;) {
    std::unique_lock<std::mutex> lock(mu);
    ready.wait(lock, [] { return !jobs.empty() || done; });
    if (jobs.empty()) return;
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
  {
    std::lock_guard<std::mutex> lock(mu);
    done = true;
  }
  ready.notify_all();
  c1.join();
  c2.join();
  std::printf("total = %ld\n", total);
}
