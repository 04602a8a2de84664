// Read-mostly: a cache behind a std::shared_mutex, as a configuration or
// session store is. 4 threads look keys up under shared locks; one operation
// in 64 updates an entry under the exclusive lock. argv[1] is the number of
// operations per thread (default 200,000).
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

class Cache {
 public:
  std::optional<std::size_t> length_of(int key) const {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second.size();
  }
  void put(int key, std::string value) {
    std::unique_lock lock(mutex_);
    entries_[key] = std::move(value);
  }

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<int, std::string> entries_;
};

int main(int argc, char** argv) {
  constexpr int threads = 4, keys = 4096;
  const long operations = argc > 1 ? std::atol(argv[1]) : 200000;
  Cache cache;
  for (int k = 0; k < keys; k += 2) cache.put(k, std::string(k % 61, 'v'));
  std::vector<long> found(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      unsigned state = 2654435761u * (t + 1);
      long hits = 0;
      for (long i = 0; i < operations; ++i) {
        state = state * 1664525u + 1013904223u;  // a per-thread LCG: no shared RNG state
        const int key = static_cast<int>(state >> 8) % keys;
        if (i % 64 == 63)
          cache.put(key, std::string(key % 53, 'w'));
        else if (auto length = cache.length_of(key))
          hits += *length > 0;
      }
      found[t] = hits;
    });
  }
  for (auto& w : workers) w.join();
  long total = 0;
  for (long hits : found) total += hits;
  std::printf("%ld\n", total);
}
