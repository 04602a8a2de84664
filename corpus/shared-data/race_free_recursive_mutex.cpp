// conc-hazard: race-free shape: a recursive mutex taken again by a method that holds it
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <mutex>
#include <thread>

class Inventory {
 public:
  void add(int count) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    items_ += count;
  }
  void restock() {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (items_ < 10) add(10);
  }
  int items() {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return items_;
  }

 private:
  std::recursive_mutex mutex_;
  int items_ = 0;
};

Inventory inventory;

int main() {
  std::thread a([] { for (int i = 0; i < 500; ++i) inventory.restock(); });
  std::thread b([] { for (int i = 0; i < 500; ++i) inventory.add(1); });
  a.join();
  b.join();
  std::printf("items %d\n", inventory.items() > 0);
}
