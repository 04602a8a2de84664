// conc-hazard: 26 wait without a loop: pthread_cond_wait under `if` instead of `while`
// conc-expect-runtime: none
// conc-expect-lint: wait-without-loop:16
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static int ready;

static void *waiter(void *arg) {
  (void)arg;
  pthread_mutex_lock(&ready_lock);
  if (!ready)
    /* returns on a spurious wakeup with ready still 0 */
    pthread_cond_wait(&ready_cond, &ready_lock);
  printf("ready = %d\n", ready);
  pthread_mutex_unlock(&ready_lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  pthread_mutex_lock(&ready_lock);
  ready = 1;
  pthread_cond_signal(&ready_cond);
  pthread_mutex_unlock(&ready_lock);
  pthread_join(t, NULL);
  return 0;
}
