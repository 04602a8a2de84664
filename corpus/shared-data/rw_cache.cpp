// conc-hazard: 3 reader-writer cache: a miss inserts into the map while holding only the shared (reader) lock
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:15 unguarded-access:16 unguarded-access:18
// conc-run: timeout=10
#include <cstdio>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>

class SquareCache {
 public:
  long get(int key) {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    auto found = squares_.find(key);
    if (found != squares_.end()) return found->second;
    long square = static_cast<long>(key) * key;
    squares_[key] = square;  // a write under a shared lock: other readers are inside too
    return square;
  }

 private:
  std::shared_mutex mutex_;
  std::map<int, long> squares_;
};

SquareCache cache;

int main() {
  auto lookups = [] {
    long sum = 0;
    for (int i = 0; i < 200; ++i) sum += cache.get(i % 50);
    return sum;
  };
  long first = 0, second = 0;
  std::thread a([&] { first = lookups(); });
  std::thread b([&] { second = lookups(); });
  a.join();
  b.join();
  std::printf("sums %ld %ld\n", first, second);
}
