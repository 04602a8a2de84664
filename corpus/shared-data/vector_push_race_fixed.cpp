// conc-hazard: 10 race on a container (fixed: each thread collects locally, then merges under a mutex)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

std::vector<int> results;
std::mutex results_mutex;

void collect(int first) {
  std::vector<int> local;
  for (int i = first; i < first + 100; ++i)
    local.push_back(i * i);
  std::lock_guard<std::mutex> lock(results_mutex);
  results.insert(results.end(), local.begin(), local.end());
}

int main() {
  std::thread a(collect, 0);
  std::thread b(collect, 100);
  a.join();
  b.join();
  std::printf("%zu results\n", results.size());
}
