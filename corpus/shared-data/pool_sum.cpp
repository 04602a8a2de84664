// conc-hazard: 2 lost update: a divide-and-conquer sum on a thread pool, each task adding its part to a shared total
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:24
// conc-run: timeout=10 runs=3
#include <cstdio>
#include <vector>

#include "thread_pool.h"

long total;

// Splits [begin, end) until a part is small, then adds the part to total.
void sum_range(ThreadPool &pool, const std::vector<long> &numbers, size_t begin, size_t end,
               std::vector<std::future<void>> &pending) {
  if (end - begin > (1 << 15)) {
    size_t middle = begin + (end - begin) / 2;
    sum_range(pool, numbers, begin, middle, pending);
    sum_range(pool, numbers, middle, end, pending);
    return;
  }
  pending.push_back(pool.submit([&numbers, begin, end] {
    long part = 0;
    for (size_t i = begin; i < end; ++i) part += numbers[i];
    total += part;  // every task adds here at once
  }));
}

int main() {
  std::vector<long> numbers(1 << 18, 1);
  std::vector<std::future<void>> pending;
  {
    ThreadPool pool(3);
    sum_range(pool, numbers, 0, numbers.size(), pending);
    for (auto &done : pending) done.get();
  }
  std::printf("total = %ld\n", total);
}
