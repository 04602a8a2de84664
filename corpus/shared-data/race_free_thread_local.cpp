// conc-hazard: race-free shape: thread-local storage, each thread with its own counter
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <thread>

thread_local long calls;
std::atomic<long> total{0};

void work() {
  for (int i = 0; i < 1000; ++i) ++calls;
  total += calls;
}

int main() {
  std::thread a(work);
  std::thread b(work);
  a.join();
  b.join();
  std::printf("total = %ld\n", total.load());
}
