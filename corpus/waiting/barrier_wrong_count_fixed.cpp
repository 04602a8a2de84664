// conc-hazard: 31 barrier with the wrong party count, fixed: std::barrier sized by the number of workers
// conc-expect-runtime: none
// conc-expect-lint: none
#include <barrier>
#include <cstdio>
#include <thread>
#include <vector>

int main() {
  constexpr int kWorkers = 2;
  int partial[kWorkers] = {};
  std::barrier phase_end(kWorkers);
  std::vector<std::jthread> workers;
  for (int i = 0; i < kWorkers; ++i)
    workers.emplace_back([&, i] {
      partial[i] = i + 1;
      phase_end.arrive_and_wait();
    });
  workers.clear();  // jthread joins
  std::printf("sum = %d\n", partial[0] + partial[1]);
}
