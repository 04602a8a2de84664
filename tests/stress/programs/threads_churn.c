// Stress: N threads (argv[1], default 100000) created and joined, at most
// 16 alive at a time. Each thread adds to a counter under a mutex and hands
// back a value through pthread_join. The runtime must reuse what a joined
// thread leaves (its clock slot, its stack) instead of growing with N.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { kBatch = 16 };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long total;

static void* worker(void* arg) {
  pthread_mutex_lock(&mu);
  total += 1;
  pthread_mutex_unlock(&mu);
  return (void*)((intptr_t)arg * 2);
}

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000;
  long returned = 0;
  for (long done = 0; done < n; done += kBatch) {
    pthread_t threads[kBatch];
    int count = n - done < kBatch ? (int)(n - done) : kBatch;
    for (int i = 0; i < count; ++i)
      if (pthread_create(&threads[i], NULL, worker, (void*)(intptr_t)(done + i)) != 0) {
        perror("pthread_create");
        return 1;
      }
    for (int i = 0; i < count; ++i) {
      void* value;
      pthread_join(threads[i], &value);
      returned += (intptr_t)value;
    }
  }
  printf("threads %ld total %ld returned %ld\n", n, total, returned);
  return total == n ? 0 : 1;
}
