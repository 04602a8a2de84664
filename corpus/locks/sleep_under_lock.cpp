// conc-hazard: 21 long critical section: the flusher sleeps while holding the log mutex
// conc-expect-runtime: starvation
// conc-expect-lint: blocking-under-lock:22
// conc-xfail: runtime -- a long critical section with no greedy taker is an entry of the contention_report table, not a starvation report
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

std::mutex log_mutex;
std::vector<std::string> pending;
size_t written;

void flusher() {
  for (int round = 0; round < 5; ++round) {
    std::lock_guard<std::mutex> lock(log_mutex);
    written += pending.size();
    pending.clear();
    // Pretend to wait for the disk: every logger waits with us.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void logger() {
  for (int i = 0; i < 50; ++i) {
    std::lock_guard<std::mutex> lock(log_mutex);
    pending.push_back("line " + std::to_string(i));
  }
}

int main() {
  std::thread f(flusher), l(logger);
  f.join();
  l.join();
  std::printf("written = %zu, pending = %zu\n", written, pending.size());
}
