// Many short threads: thousands of threads created and joined, 8 at a time,
// as a program that spawns a thread per task does. Each sums a slice of a
// shared read-only array into its own result slot, which the creator reads
// after the join. argv[1] is the number of threads (default 10,000).
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  constexpr int batch = 8, slice = 512;
  const long count = argc > 1 ? std::atol(argv[1]) : 10000;
  std::vector<int> input(batch * slice);
  std::iota(input.begin(), input.end(), 0);
  std::vector<long> results(count);
  long total = 0;
  for (long first = 0; first < count; first += batch) {
    std::vector<std::thread> threads;
    for (long t = first; t < first + batch && t < count; ++t) {
      threads.emplace_back([&, t] {
        const int* begin = input.data() + (t % batch) * slice;
        results[t] = std::accumulate(begin, begin + slice, 0L) + t;
      });
    }
    for (auto& thread : threads) thread.join();
    for (long t = first; t < first + batch && t < count; ++t) total += results[t];
  }
  std::printf("%ld\n", total);
}
