// conc-hazard: 34 thread never joined nor detached: a pthread started for a side job and forgotten
// conc-expect-runtime: thread-leak
// conc-expect-lint: thread-not-joined:20
#include <pthread.h>
#include <stdio.h>

static int warmed;

static void *warm_cache(void *arg) {
  (void)arg;
  __atomic_store_n(&warmed, 1, __ATOMIC_RELEASE);
  return NULL;
}

int main(void) {
  pthread_t worker, warmer;
  pthread_create(&worker, NULL, warm_cache, NULL);
  pthread_join(worker, NULL);
  /* started and forgotten: never joined, never detached */
  pthread_create(&warmer, NULL, warm_cache, NULL);
  while (!__atomic_load_n(&warmed, __ATOMIC_ACQUIRE))
    ;
  printf("warmed\n");
  return 0;
}
