// Stress: N threads (argv[1], default 1000) alive at the same time. Each one
// takes a shared lock, writes its own slot and waits at a barrier that opens
// only when all N have arrived, so every thread's state exists in the
// runtime at once. Synchronized throughout: nothing may be reported and the
// output is exact.
#include <pthread.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  std::mutex mu;
  long total = 0;
  std::vector<long> slots(n);
  pthread_barrier_t all_alive;
  pthread_barrier_init(&all_alive, nullptr, n + 1);
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      slots[i] = i;
      {
        std::lock_guard<std::mutex> lock(mu);
        total += i;
      }
      pthread_barrier_wait(&all_alive);
    });
  pthread_barrier_wait(&all_alive);
  for (std::thread& t : threads) t.join();
  pthread_barrier_destroy(&all_alive);
  long sum = 0;
  for (long slot : slots) sum += slot;
  std::printf("threads %d total %ld slots %ld\n", n, total, sum);
  return total == sum ? 0 : 1;
}
