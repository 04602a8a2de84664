// conc-hazard: 12 longer cycle (fixed: every philosopher takes the lower-numbered fork first)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

constexpr int kPhilosophers = 5;
std::mutex forks[kPhilosophers];
int meals[kPhilosophers];

void dine(int seat) {
  int first = std::min(seat, (seat + 1) % kPhilosophers);
  int second = std::max(seat, (seat + 1) % kPhilosophers);
  for (int round = 0; round < 100; ++round) {
    std::lock_guard<std::mutex> lower(forks[first]);
    std::lock_guard<std::mutex> higher(forks[second]);
    ++meals[seat];
  }
}

int main() {
  std::vector<std::thread> philosophers;
  for (int seat = 0; seat < kPhilosophers; ++seat) philosophers.emplace_back(dine, seat);
  for (auto& philosopher : philosophers) philosopher.join();
  std::printf("meals: %d %d %d %d %d\n", meals[0], meals[1], meals[2], meals[3], meals[4]);
}
