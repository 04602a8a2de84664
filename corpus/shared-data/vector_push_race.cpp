// conc-hazard: 10 race on a container: push_back from two threads
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:13
// conc-run: timeout=10
#include <cstdio>
#include <thread>
#include <vector>

std::vector<int> results;

void collect(int first) {
  for (int i = first; i < first + 100; ++i)
    results.push_back(i * i);
}

int main() {
  results.reserve(256);  // no reallocation: the race stays on the end pointer, never a crash
  std::thread a(collect, 0);
  std::thread b(collect, 100);
  a.join();
  b.join();
  std::printf("%zu results\n", results.size());
}
