/* A race on `hits` silenced inline; the one on `misses` is not. */
#include <pthread.h>
#include <stddef.h>

static long hits, misses;

static void *worker(void *arg) {
  // conc-lint: ignore[unguarded-access] statistics only, a lost update is fine
  hits++;
  misses++; /* conc-lint: ignore[lock-order-inversion] names another check */
  return arg;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, worker, NULL);
  pthread_create(&b, NULL, worker, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
