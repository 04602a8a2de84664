// Function-local statics: the thread that initializes the object and the
// threads that find it initialized (waiting in __cxa_guard_acquire or on the
// inline fast path) are ordered, so reading the object is race-free.
#include <pthread.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Table {
  Table() {
    for (int i = 0; i < 64; ++i) values[i] = i * i;
    name = "squares";
  }
  int values[64];
  std::string name;
};

const Table& table() {
  static Table t;
  return t;
}

pthread_barrier_t start;

long use() {
  pthread_barrier_wait(&start);  // maximise the chance that several threads race to initialize
  const Table& t = table();
  long sum = static_cast<long>(t.name.size());
  for (int v : t.values) sum += v;
  return sum;
}

}  // namespace

int main() {
  constexpr int kThreads = 8;
  pthread_barrier_init(&start, nullptr, kThreads);
  std::vector<long> sums(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back([&sums, i] { sums[i] = use(); });
  for (std::thread& t : threads) t.join();
  for (long s : sums)
    if (s != sums[0]) return 1;
  std::printf("ok\n");
  return 0;
}
