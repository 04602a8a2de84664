// conc-hazard: 21 long critical section (fixed: the flusher takes the batch under the lock and waits outside it)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: options=starvation_ms=100
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

std::mutex log_mutex;
std::vector<std::string> pending;
size_t written;
std::atomic<bool> flushing{true};

void flusher() {
  for (int round = 0; round < 2; ++round) {
    std::vector<std::string> batch;
    {
      std::lock_guard<std::mutex> lock(log_mutex);
      batch.swap(pending);
    }
    written += batch.size();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // "wait for the disk" alone
  }
  flushing = false;
}

void logger() {
  for (int i = 0; flushing; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
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
