// conc-hazard: 1 data race on a counter
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:13
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static long counter;

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i)
    counter++;
  return NULL;
}

int main(void) {
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);
  printf("counter = %ld\n", counter);
  return 0;
}
