// conc-hazard: 15 abandoned lock: an early return on a bad record skips the unlock
// conc-expect-runtime: abandoned-lock
// conc-expect-lint: lock-leak:16
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex stats_mutex;
long total;

// Returns holding stats_mutex when the record is bad.
bool add_record(long value) {
  stats_mutex.lock();
  if (value < 0) {
    std::fprintf(stderr, "bad record %ld\n", value);
    return false;
  }
  total += value;
  stats_mutex.unlock();
  return true;
}

int main() {
  std::thread loader([] { add_record(-1); });
  loader.join();
  // try_lock shows the damage without hanging this run.
  if (!stats_mutex.try_lock())
    std::puts("stats_mutex is locked forever");
  else
    stats_mutex.unlock();
}
