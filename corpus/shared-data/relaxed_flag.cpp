// conc-hazard: 6 relaxed atomics used as a flag for plain data
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:14 unguarded-access:20
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <thread>

long payload;
std::atomic<bool> ready{false};

int main() {
  std::thread producer([] {
    payload = 42;
    ready.store(true, std::memory_order_relaxed);  // relaxed orders nothing
  });
  std::thread consumer([] {
    while (!ready.load(std::memory_order_relaxed))
      std::this_thread::yield();
    std::printf("payload %ld\n", payload);
  });
  producer.join();
  consumer.join();
}
