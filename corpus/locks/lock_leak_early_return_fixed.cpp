// conc-hazard: 15 abandoned lock (fixed: a lock_guard releases the mutex on every path)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex stats_mutex;
long total;

bool add_record(long value) {
  std::lock_guard<std::mutex> lock(stats_mutex);
  if (value < 0) {
    std::fprintf(stderr, "bad record %ld\n", value);
    return false;
  }
  total += value;
  return true;
}

int main() {
  std::thread loader([] { add_record(-1); });
  loader.join();
  if (!stats_mutex.try_lock())
    std::puts("stats_mutex is locked forever");
  else
    stats_mutex.unlock();
}
