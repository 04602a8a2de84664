// conc-hazard: 34 thread never joined nor detached (fixed: the side job is detached)
// conc-expect-runtime: none
// conc-expect-lint: none
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
  pthread_create(&warmer, NULL, warm_cache, NULL);
  pthread_detach(warmer);
  while (!__atomic_load_n(&warmed, __ATOMIC_ACQUIRE))
    ;
  printf("warmed\n");
  return 0;
}
