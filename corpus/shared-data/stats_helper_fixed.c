// conc-hazard: 1 data race through a helper (fixed: record() takes the totals' mutex)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static long samples, total_ms;
static pthread_mutex_t totals_lock = PTHREAD_MUTEX_INITIALIZER;

/* Adds one request's latency to the totals. */
static void record(long latency_ms) {
  pthread_mutex_lock(&totals_lock);
  samples++;
  total_ms += latency_ms;
  pthread_mutex_unlock(&totals_lock);
}

static void *serve(void *arg) {
  long base = *(long *)arg;
  for (long i = 0; i < 500; ++i)
    record(base + i % 7);
  return NULL;
}

int main(void) {
  static long bases[2] = {10, 20};
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, serve, &bases[i]);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);
  printf("%ld samples, mean %ld ms\n", samples, total_ms / samples);
  return 0;
}
