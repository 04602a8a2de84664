// conc-hazard: 3 reader-writer cache: a miss fills the slot while holding only the read lock
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:15 unguarded-access:18
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

#define SLOTS 64

static long squares[SLOTS];
static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;

static long cached_square(int key) {
  pthread_rwlock_rdlock(&cache_lock);
  long square = squares[key];
  if (square == 0) {
    square = (long)key * key + 1;
    squares[key] = square; /* a write under the read lock: other readers are inside too */
  }
  pthread_rwlock_unlock(&cache_lock);
  return square;
}

static void *lookups(void *arg) {
  long *sum = arg;
  for (int i = 0; i < 500; ++i)
    *sum += cached_square(i % SLOTS);
  return NULL;
}

int main(void) {
  long sums[2] = {0, 0};
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, lookups, &sums[i]);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);
  printf("sums %ld %ld\n", sums[0], sums[1]);
  return 0;
}
