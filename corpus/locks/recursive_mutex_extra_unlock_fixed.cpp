// conc-hazard: 17 unlock of a mutex the thread does not hold (fixed: std::lock_guard pairs every lock of the std::recursive_mutex with one unlock)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <mutex>
#include <thread>

std::recursive_mutex tree_mutex;
int nodes;

void insert(int depth) {
  std::lock_guard<std::recursive_mutex> lock(tree_mutex);
  ++nodes;
  if (depth < 2) insert(depth + 1);
}

int main() {
  std::thread t(insert, 0);
  t.join();
  std::printf("nodes=%d\n", nodes);
}
