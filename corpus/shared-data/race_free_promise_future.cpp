// conc-hazard: race-free shape: a promise/future hands a result and std::async returns one
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <cstdio>
#include <future>
#include <thread>
#include <vector>

std::vector<int> primes;

int main() {
  std::promise<int> count_promise;
  std::future<int> count = count_promise.get_future();
  std::thread sieve([&count_promise] {
    for (int n = 2; n < 200; ++n) {
      bool prime = true;
      for (int d : primes) prime = prime && n % d != 0;
      if (prime) primes.push_back(n);
    }
    count_promise.set_value(static_cast<int>(primes.size()));
  });
  int found = count.get();
  std::future<int> largest = std::async(std::launch::async, [] { return primes.back(); });
  std::printf("%d primes, largest %d\n", found, largest.get());
  sieve.join();
}
