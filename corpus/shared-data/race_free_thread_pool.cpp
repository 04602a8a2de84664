// conc-hazard: race-free shape: a divide-and-conquer sum on a small thread pool with futures
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <future>
#include <vector>

#include "thread_pool.h"

int main() {
  std::vector<long> numbers(4000);
  for (size_t i = 0; i < numbers.size(); ++i) numbers[i] = static_cast<long>(i);
  ThreadPool pool(3);
  std::vector<std::future<long>> parts;
  for (size_t begin = 0; begin < numbers.size(); begin += 1000) {
    parts.push_back(pool.submit([&numbers, begin] {
      long sum = 0;
      for (size_t i = begin; i < begin + 1000; ++i) sum += numbers[i];
      return sum;
    }));
  }
  long total = 0;
  for (auto& part : parts) total += part.get();
  std::printf("total = %ld\n", total);
}
