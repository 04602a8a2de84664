// The runtime must not harm the program: instrumented code runs before main
// (a static object's constructor, and a constructor function that starts a
// thread), then 500 short-lived threads and 200 alive at once. Everything is
// synchronized, so the total is exact and nothing is reported.
#include <pthread.h>

#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace {

std::mutex total_mu;
long total;

void add(long n) {
  std::lock_guard<std::mutex> lock(total_mu);
  total += n;
}

struct Registry {
  std::vector<int> entries;
  Registry() {
    for (int i = 0; i < 100; ++i) entries.push_back(i);
    add(1);
  }
};
Registry registry;  // dynamically initialized before main

long early_data;
pthread_t early_thread;

void* early_worker(void*) {
  add(early_data);
  return nullptr;
}

__attribute__((constructor)) void start_early_thread() {
  early_data = 5;
  pthread_create(&early_thread, nullptr, early_worker, nullptr);
}

constexpr int kShortLived = 500, kBatch = 50, kAlive = 200;

}  // namespace

int main() {
  pthread_join(early_thread, nullptr);
  for (int done = 0; done < kShortLived; done += kBatch) {
    std::vector<std::thread> batch;
    for (int i = 0; i < kBatch; ++i) batch.emplace_back([] { add(1); });
    for (std::thread& t : batch) t.join();
  }
  pthread_barrier_t all_alive;
  pthread_barrier_init(&all_alive, nullptr, kAlive + 1);
  std::vector<std::thread> alive;
  for (int i = 0; i < kAlive; ++i)
    alive.emplace_back([&all_alive] {
      add(1);
      pthread_barrier_wait(&all_alive);  // every thread is alive here at once
    });
  pthread_barrier_wait(&all_alive);
  for (std::thread& t : alive) t.join();
  pthread_barrier_destroy(&all_alive);
  std::printf("total %ld entries %zu\n", total, registry.entries.size());
  return 0;
}
