// conc-hazard: 6 relaxed atomics as a flag (fixed: release store, acquire load)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <thread>

long payload;
std::atomic<bool> ready{false};

int main() {
  std::thread producer([] {
    payload = 42;
    ready.store(true, std::memory_order_release);
  });
  std::thread consumer([] {
    while (!ready.load(std::memory_order_acquire))
      std::this_thread::yield();
    std::printf("payload %ld\n", payload);
  });
  producer.join();
  consumer.join();
}
