// conc-hazard: race-free shape: seq_cst atomics (default order) publishing plain data
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <thread>

int table[4];
std::atomic<int> filled{0};

int main() {
  std::thread producer([] {
    for (int i = 0; i < 4; ++i) {
      table[i] = i * 10;
      filled = i + 1;  // seq_cst store
    }
  });
  std::thread consumer([] {
    while (filled != 4)  // seq_cst load
      std::this_thread::yield();
    std::printf("%d\n", table[0] + table[3]);
  });
  producer.join();
  consumer.join();
}
