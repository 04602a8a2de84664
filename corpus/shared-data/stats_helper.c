// conc-hazard: 1 data race through a helper: workers call record(), which updates shared totals without a lock
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:12 unguarded-access:13
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static long samples, total_ms;

/* Adds one request's latency to the totals. */
static void record(long latency_ms) {
  samples++;
  total_ms += latency_ms;
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
