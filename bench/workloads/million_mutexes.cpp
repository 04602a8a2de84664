// Sync-object churn: creates, locks, unlocks and destroys 1,000,000 pthread
// mutexes and 1,000,000 std::mutex objects, on the heap and on the stack, from
// two threads. The runtime must recycle what it keeps per lock, so peak memory
// stays flat however many locks a program goes through. The count is argv[1]
// (default 1,000,000) so memory can be compared across counts.
#include <pthread.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

long churn(long count) {
  long locked = 0;
  for (long i = 0; i < count / 2; ++i) {  // two locks of each kind per round
    pthread_mutex_t on_stack;
    pthread_mutex_init(&on_stack, nullptr);
    pthread_mutex_lock(&on_stack);
    ++locked;
    pthread_mutex_unlock(&on_stack);
    pthread_mutex_destroy(&on_stack);

    auto* on_heap = new pthread_mutex_t;
    pthread_mutex_init(on_heap, nullptr);
    pthread_mutex_lock(on_heap);
    ++locked;
    pthread_mutex_unlock(on_heap);
    pthread_mutex_destroy(on_heap);
    delete on_heap;

    std::mutex std_on_stack;
    std::lock_guard<std::mutex> guard(std_on_stack);
    ++locked;

    auto std_on_heap = std::make_unique<std::mutex>();
    std_on_heap->lock();
    ++locked;
    std_on_heap->unlock();
  }
  return locked;
}

int main(int argc, char** argv) {
  const long count = argc > 1 ? std::atol(argv[1]) : 1000000;
  long a = 0, b = 0;
  std::thread other([&] { a = churn(count / 2); });
  b = churn(count - count / 2);
  other.join();
  std::printf("%ld\n", a + b);
}
