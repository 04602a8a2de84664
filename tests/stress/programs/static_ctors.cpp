// Stress: threads started from static constructors, before main and before
// the program's other globals are ready. A .preinit_array function (run
// before any shared library's constructors) and a constructor of priority
// 101 each start a thread that lives on into main; a dynamically initialized
// global starts and joins 8 threads in its constructor; a static destructor
// starts and joins one more after main returned. All shared data is locked,
// so the output is exact and nothing may be reported.
#include <pthread.h>

#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace {

pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;  // constant-initialized: usable before any constructor
long total;                                      // guarded by mu

void add(long n) {
  pthread_mutex_lock(&mu);
  total += n;
  pthread_mutex_unlock(&mu);
}

void* add_one(void*) {
  add(1);
  return nullptr;
}

pthread_t preinit_thread, early_thread;

void start_preinit_thread(int, char**, char**) { pthread_create(&preinit_thread, nullptr, add_one, nullptr); }
__attribute__((section(".preinit_array"), used)) void (*preinit)(int, char**, char**) = start_preinit_thread;

__attribute__((constructor(101))) void start_early_thread() {
  pthread_create(&early_thread, nullptr, add_one, nullptr);
}

struct Pool {
  std::vector<int> done;
  Pool() : done(8) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
      threads.emplace_back([this, i] {
        done[i] = 1;
        add(10);
      });
    for (std::thread& t : threads) t.join();
  }
  ~Pool() {
    std::thread last([] { add(1000); });
    last.join();
    pthread_mutex_lock(&mu);
    long final_total = total;
    pthread_mutex_unlock(&mu);
    std::printf("after main: total %ld\n", final_total);
    std::fflush(stdout);
  }
};
Pool pool;

}  // namespace

int main() {
  pthread_join(preinit_thread, nullptr);
  pthread_join(early_thread, nullptr);
  long ready = 0;
  for (int flag : pool.done) ready += flag;
  pthread_mutex_lock(&mu);
  std::printf("in main: total %ld pool %ld\n", total, ready);
  pthread_mutex_unlock(&mu);
  return 0;
}
