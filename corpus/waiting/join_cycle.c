// conc-hazard: 33 join cycle: two threads join each other
// conc-expect-runtime: deadlock
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static pthread_t first, second;
static pthread_barrier_t started;

static void *run_first(void *arg) {
  (void)arg;
  pthread_barrier_wait(&started);
  pthread_join(second, NULL);  // waits for second, which waits for first
  return NULL;
}

static void *run_second(void *arg) {
  (void)arg;
  pthread_barrier_wait(&started);
  pthread_join(first, NULL);
  return NULL;
}

int main(void) {
  pthread_barrier_init(&started, NULL, 3);
  pthread_create(&first, NULL, run_first, NULL);
  pthread_create(&second, NULL, run_second, NULL);
  pthread_barrier_wait(&started);
  pthread_exit(NULL);
}
