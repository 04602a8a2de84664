// conc-hazard: 15 abandoned lock (fixed: std::lock_guard releases the mutex as the exception leaves, and the worker thread catches it instead of ending in std::terminate)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

std::mutex ledger_mutex;
std::vector<int> ledger;

void record(int amount) {
  std::lock_guard<std::mutex> guard(ledger_mutex);
  if (amount < 0) throw std::invalid_argument("negative amount");
  ledger.push_back(amount);
}

int main() {
  std::thread worker([] {
    try {
      record(10);
      record(-5);
    } catch (const std::exception& e) {
      std::printf("rejected: %s\n", e.what());
    }
  });
  worker.join();
  std::lock_guard<std::mutex> guard(ledger_mutex);
  std::printf("entries=%zu\n", ledger.size());
}
