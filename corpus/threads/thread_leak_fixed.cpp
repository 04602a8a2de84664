// conc-hazard: 34 thread never joined nor detached, fixed: std::jthread joins on destruction
// conc-expect-runtime: none
// conc-expect-lint: none
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

std::atomic<int> flushed;

int main() {
  {
    std::vector<std::jthread> flushers;
    for (int i = 0; i < 3; ++i) flushers.emplace_back([] { flushed++; });
  }
  std::printf("flushed %d\n", flushed.load());
}
