// conc-hazard: 1 data race on a counter (fixed: a mutex guards every access)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static long counter;
static pthread_mutex_t counter_mutex = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&counter_mutex);
    counter++;
    pthread_mutex_unlock(&counter_mutex);
  }
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
