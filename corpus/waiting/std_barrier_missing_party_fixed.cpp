// conc-hazard: 31 barrier with the wrong party count (fixed: the worker whose input fails leaves the std::barrier with arrive_and_drop, so the others go on without it)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <barrier>
#include <cstdio>
#include <thread>
#include <vector>

constexpr int kWorkers = 3;
int partial[kWorkers];

bool load(int id) { return id != 2; }  // worker 2's input is missing

int main() {
  std::barrier phase_end(kWorkers);
  std::vector<std::thread> workers;
  for (int id = 0; id < kWorkers; ++id)
    workers.emplace_back([&phase_end, id] {
      if (!load(id)) {
        phase_end.arrive_and_drop();  // one party fewer from this phase on
        return;
      }
      partial[id] = id + 1;
      phase_end.arrive_and_wait();
      std::printf("worker %d sees %d\n", id, partial[(id + 1) % 2]);
    });
  for (std::thread& w : workers) w.join();
}
