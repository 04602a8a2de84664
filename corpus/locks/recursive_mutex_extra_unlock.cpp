// conc-hazard: 17 unlock of a mutex the thread does not hold: a std::recursive_mutex unlocked once more than it was locked on the retry path
// conc-expect-runtime: mutex-misuse
// conc-expect-lint: double-lock:21
#include <cstdio>
#include <mutex>
#include <thread>

std::recursive_mutex tree_mutex;
int nodes;

bool insert(int depth) {
  tree_mutex.lock();
  ++nodes;
  if (depth < 2) insert(depth + 1);
  tree_mutex.unlock();
  return depth != 0 || nodes > 2;
}

void rebuild() {
  if (!insert(0)) return;
  tree_mutex.unlock();  // "in case the retry left it locked": it did not
}

int main() {
  std::thread t(rebuild);
  t.join();
  std::printf("nodes=%d\n", nodes);
}
