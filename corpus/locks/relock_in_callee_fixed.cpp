// conc-hazard: 14 self-deadlock (fixed: add() uses a helper that expects the mutex held)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>

class Inventory {
 public:
  int count(const std::string &item) {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_locked(item);
  }

  void add(const std::string &item, int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    stock_[item] = count_locked(item) + n;
  }

 private:
  // Callers hold mutex_.
  int count_locked(const std::string &item) const {
    auto found = stock_.find(item);
    return found == stock_.end() ? 0 : found->second;
  }

  std::mutex mutex_;
  std::map<std::string, int> stock_;
};

Inventory inventory;

int main() {
  std::thread restock([] { inventory.add("bolts", 10); });
  restock.join();
  std::printf("bolts = %d\n", inventory.count("bolts"));
}
