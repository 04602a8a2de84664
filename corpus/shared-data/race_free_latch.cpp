// conc-hazard: race-free shape: std::latch; workers fill their slots, main reads after wait()
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <latch>
#include <thread>
#include <vector>

int slots[4];

int main() {
  std::latch filled(4);
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    workers.emplace_back([i, &filled] {
      slots[i] = i + 1;
      filled.count_down();
    });
  }
  filled.wait();
  std::printf("sum = %d\n", slots[0] + slots[1] + slots[2] + slots[3]);
  for (auto& worker : workers) worker.join();
}
