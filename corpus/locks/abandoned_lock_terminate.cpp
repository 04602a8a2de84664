// conc-hazard: 15 abandoned lock: an exception escapes the worker thread between lock() and unlock(), so std::terminate ends the process while the worker holds the mutex
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
  if (amount < 0) throw std::invalid_argument("negative amount");  // nobody catches it
  ledger.push_back(amount);
  ledger_mutex.unlock();
}

int main() {
  std::thread worker([] {
    record(10);
    record(-5);
  });
  worker.join();
  std::printf("entries=%zu\n", ledger.size());
}
