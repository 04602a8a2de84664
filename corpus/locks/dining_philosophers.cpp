// conc-hazard: 12 longer cycle: five philosophers each take the left fork, then the right
// conc-expect-runtime: lock-order-inversion
// conc-expect-lint: lock-order-inversion:22
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

constexpr int kPhilosophers = 5;
std::mutex forks[kPhilosophers];
std::atomic<int> turn{0};
int meals[kPhilosophers];

void dine(int seat) {
  // Taking turns keeps this run from hanging; the lock order still forms a
  // cycle that deadlocks when all five sit down at once.
  while (turn.load(std::memory_order_acquire) != seat)
    std::this_thread::yield();
  std::lock_guard<std::mutex> left(forks[seat]);
  std::lock_guard<std::mutex> right(forks[(seat + 1) % kPhilosophers]);
  ++meals[seat];
  turn.store(seat + 1, std::memory_order_release);
}

int main() {
  std::vector<std::thread> philosophers;
  for (int seat = 0; seat < kPhilosophers; ++seat) philosophers.emplace_back(dine, seat);
  for (auto& philosopher : philosophers) philosopher.join();
  std::printf("meals: %d %d %d %d %d\n", meals[0], meals[1], meals[2], meals[3], meals[4]);
}
