// conc-hazard: race-free shape: a reader-writer lock around a small cache
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static int cache[16];
static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;

static void *reader(void *arg) {
  long *sum = arg;
  for (int round = 0; round < 200; ++round) {
    pthread_rwlock_rdlock(&cache_lock);
    for (int i = 0; i < 16; ++i)
      *sum += cache[i];
    pthread_rwlock_unlock(&cache_lock);
  }
  return NULL;
}

static void *writer(void *arg) {
  (void)arg;
  for (int round = 0; round < 200; ++round) {
    pthread_rwlock_wrlock(&cache_lock);
    cache[round % 16] = round;
    pthread_rwlock_unlock(&cache_lock);
  }
  return NULL;
}

int main(void) {
  long sums[2] = {0, 0};
  pthread_t readers[2], w;
  pthread_create(&w, NULL, writer, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_create(&readers[i], NULL, reader, &sums[i]);
  pthread_join(w, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_join(readers[i], NULL);
  printf("done %d\n", sums[0] >= 0);
  return 0;
}
