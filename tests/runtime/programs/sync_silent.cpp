// Race-free uses of every synchronization the interceptors model; a correct
// runtime reports nothing here.
#include <pthread.h>
#include <semaphore.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

namespace {

int cond_data;
bool cond_ready;
std::mutex cond_mu;
std::condition_variable cond;

int sem_data;
sem_t sem;

int barrier_data[2];
pthread_barrier_t barrier;

int once_data;
pthread_once_t once = PTHREAD_ONCE_INIT;

int rw_data;
std::shared_mutex rw;

int spin_data;
pthread_spinlock_t spin;

int flag_data;
std::atomic<int> flag{0};

struct FreshBox {
  int data = 0;
  std::atomic<int> flag{0};
};

int heap_sum;

void init_once() { once_data = 7; }

}  // namespace

int main() {
  std::thread producer([] {
    std::lock_guard<std::mutex> lock(cond_mu);
    cond_data = 1;
    cond_ready = true;
    cond.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(cond_mu);
    cond.wait(lock, [] { return cond_ready; });
  }
  int seen = cond_data;
  producer.join();

  sem_init(&sem, 0, 0);
  std::thread poster([] {
    sem_data = 2;
    sem_post(&sem);
  });
  sem_wait(&sem);
  seen += sem_data;
  poster.join();
  sem_destroy(&sem);

  pthread_barrier_init(&barrier, nullptr, 2);
  std::thread other([] {
    barrier_data[1] = 1;
    pthread_barrier_wait(&barrier);
  });
  barrier_data[0] = 1;
  pthread_barrier_wait(&barrier);
  seen += barrier_data[1];
  other.join();
  pthread_barrier_destroy(&barrier);

  pthread_spin_init(&spin, 0);
  std::vector<std::thread> group;
  for (int i = 0; i < 3; ++i)
    group.emplace_back([] {
      pthread_once(&once, init_once);
      int v = once_data;
      {
        std::unique_lock<std::shared_mutex> w(rw);
        rw_data += v;
      }
      {
        std::shared_lock<std::shared_mutex> r(rw);
        v = rw_data;
      }
      pthread_spin_lock(&spin);
      spin_data += v;
      pthread_spin_unlock(&spin);
    });
  for (std::thread& t : group) t.join();
  pthread_spin_destroy(&spin);

  std::thread publisher([] {
    flag_data = 5;
    flag.store(1, std::memory_order_release);
  });
  while (flag.load(std::memory_order_acquire) == 0) std::this_thread::yield();
  seen += flag_data;
  publisher.join();

  // The first release store to a fresh flag, against a reader spinning on
  // acquire loads: the store often lands between the runtime's look-up of
  // the flag's (not yet existing) sync object and the load itself.
  for (int round = 0; round < 3000; ++round) {
    auto* box = new FreshBox{};
    std::thread reader([box, &seen] {
      while (box->flag.load(std::memory_order_acquire) == 0) {
      }
      seen += box->data;
    });
    std::thread writer([box, round] {
      box->data = round;
      box->flag.store(1, std::memory_order_release);
    });
    writer.join();
    reader.join();
    delete box;
  }

  int* block = static_cast<int*>(std::malloc(16 * sizeof(int)));
  std::thread filler([block] { std::memset(block, 1, 16 * sizeof(int)); });
  filler.join();
  for (int i = 0; i < 16; ++i) heap_sum += block[i];
  block = static_cast<int*>(std::realloc(block, 64 * sizeof(int)));
  std::free(block);

  std::printf("%d %d %d\n", seen, spin_data, heap_sum);
  return 0;
}
