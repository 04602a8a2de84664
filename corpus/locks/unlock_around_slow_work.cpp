// conc-hazard: 12 lock order, correct: a callee drops its caller's lock around slow work (LevelDB's DoCompactionWork)
// conc-expect-runtime: none
// conc-expect-lint: none
// The writer holds `db_mutex` when it calls flush(), which releases it while
// it writes to the log under `log_mutex`, and takes it back before returning.
// `log_mutex` is never taken while `db_mutex` is held, so the reader's order
// (log_mutex, then db_mutex) inverts nothing.
#include <cstdio>
#include <mutex>
#include <thread>

static std::mutex db_mutex, log_mutex;
static long entries, log_bytes;

static void flush() {  // called with db_mutex held; returns with it held
  long pending = entries;
  db_mutex.unlock();
  {
    std::lock_guard<std::mutex> log(log_mutex);
    log_bytes += pending;
  }
  db_mutex.lock();
  entries = 0;
}

static void writer() {
  for (int i = 0; i < 1000; ++i) {
    std::lock_guard<std::mutex> db(db_mutex);
    entries++;
    if (entries == 100)
      flush();
  }
}

static void reader() {
  for (int i = 0; i < 1000; ++i) {
    std::lock_guard<std::mutex> log(log_mutex);
    std::lock_guard<std::mutex> db(db_mutex);
    if (log_bytes < 0 || entries < 0)
      std::puts("impossible");
  }
}

int main() {
  std::thread a(writer), b(reader);
  a.join();
  b.join();
  std::printf("%ld %ld\n", entries, log_bytes);
}
