// conc-hazard: 34 thread never joined nor detached: fire-and-forget pthreads
// conc-expect-runtime: thread-leak
// conc-expect-lint: thread-not-joined:19
#include <pthread.h>
#include <stdio.h>

static int flushed[3];

static void *flush_log(void *arg) {
  long id = (long)arg;
  __atomic_store_n(&flushed[id], 1, __ATOMIC_RELEASE);
  return NULL;
}

int main(void) {
  pthread_t last;
  for (long i = 0; i < 3; ++i) {
    pthread_t t;
    pthread_create(&t, NULL, flush_log, (void *)i);
    last = t;
  }
  (void)last;  // never joined: each thread's resources stay allocated
  while (!__atomic_load_n(&flushed[2], __ATOMIC_ACQUIRE)) sched_yield();
  printf("flushed\n");
  return 0;
}
