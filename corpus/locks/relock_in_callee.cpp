// conc-hazard: 14 self-deadlock: a method holding the mutex calls another method that locks it again
// conc-expect-runtime: deadlock
// conc-expect-lint: double-lock:15
// conc-run: timeout=5
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>

class Inventory {
 public:
  // Locks mutex_ itself: fine on its own, a deadlock when called by add().
  int count(const std::string &item) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = stock_.find(item);
    return found == stock_.end() ? 0 : found->second;
  }

  void add(const std::string &item, int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    stock_[item] = count(item) + n;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int> stock_;
};

Inventory inventory;

int main() {
  std::thread restock([] { inventory.add("bolts", 10); });
  restock.join();
  std::printf("bolts = %d\n", inventory.count("bolts"));
}
