// conc-hazard: 15 abandoned lock: an exception escapes between lock() and unlock(); the worker catches it and finishes still holding the mutex
// conc-expect-runtime: abandoned-lock
// conc-expect-lint: lock-leak:15 lock-leak:16
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

std::mutex ledger_mutex;
std::vector<int> ledger;

void record(int amount) {
  ledger_mutex.lock();
  if (amount < 0) throw std::invalid_argument("negative amount");  // leaves ledger_mutex locked
  ledger.push_back(amount);
  ledger_mutex.unlock();
}

int main() {
  std::thread worker([] {
    try {
      record(-5);
    } catch (const std::exception& e) {
      std::printf("rejected: %s\n", e.what());
    }
  });
  worker.join();
  std::printf("entries=%zu\n", ledger.size());
}
