// conc-hazard: 3 reader-writer cache (fixed: a miss drops the shared lock and inserts under the exclusive lock)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>

class SquareCache {
 public:
  long get(int key) {
    {
      std::shared_lock<std::shared_mutex> lock(mutex_);
      auto found = squares_.find(key);
      if (found != squares_.end()) return found->second;
    }
    long square = static_cast<long>(key) * key;
    std::unique_lock<std::shared_mutex> lock(mutex_);
    squares_[key] = square;  // another thread may have inserted it meanwhile: the same value
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
