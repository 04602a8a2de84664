// conc-hazard: 31 barrier with the wrong party count: a std::barrier for three workers, and the worker whose input fails returns without arriving, so the others wait forever
// conc-expect-runtime: hang
// conc-expect-lint: none
// conc-run: timeout=10
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
      if (!load(id)) return;  // leaves without arriving: the barrier still counts on it
      partial[id] = id + 1;
      phase_end.arrive_and_wait();
      std::printf("worker %d sees %d\n", id, partial[(id + 1) % kWorkers]);
    });
  for (std::thread& w : workers) w.join();
}
