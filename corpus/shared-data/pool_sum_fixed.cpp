// conc-hazard: 2 lost update (fixed: each task returns its part through its future; only main adds)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <vector>

#include "thread_pool.h"

// Splits [begin, end) until a part is small, then sums the part on the pool.
void sum_range(ThreadPool &pool, const std::vector<long> &numbers, size_t begin, size_t end,
               std::vector<std::future<long>> &parts) {
  if (end - begin > (1 << 15)) {
    size_t middle = begin + (end - begin) / 2;
    sum_range(pool, numbers, begin, middle, parts);
    sum_range(pool, numbers, middle, end, parts);
    return;
  }
  parts.push_back(pool.submit([&numbers, begin, end] {
    long part = 0;
    for (size_t i = begin; i < end; ++i) part += numbers[i];
    return part;
  }));
}

int main() {
  std::vector<long> numbers(1 << 18, 1);
  std::vector<std::future<long>> parts;
  long total = 0;
  {
    ThreadPool pool(3);
    sum_range(pool, numbers, 0, numbers.size(), parts);
    for (auto &part : parts) total += part.get();
  }
  std::printf("total = %ld\n", total);
}
