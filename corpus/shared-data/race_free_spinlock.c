// conc-hazard: race-free shape: a pthread spinlock around a counter
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static long hits;
static pthread_spinlock_t hits_lock;

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i) {
    pthread_spin_lock(&hits_lock);
    hits++;
    pthread_spin_unlock(&hits_lock);
  }
  return NULL;
}

int main(void) {
  pthread_spin_init(&hits_lock, PTHREAD_PROCESS_PRIVATE);
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);
  pthread_spin_destroy(&hits_lock);
  printf("hits = %ld\n", hits);
  return 0;
}
