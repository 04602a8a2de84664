// conc-hazard: 29 condition variable waited with two different mutexes
// conc-expect-runtime: mutex-misuse
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int items, waiting;

static void *wait_items(void *arg) {
  pthread_mutex_t *lock = arg;
  pthread_mutex_lock(lock);
  __atomic_fetch_add(&waiting, 1, __ATOMIC_SEQ_CST);
  while (items == 0) pthread_cond_wait(&changed, lock);
  pthread_mutex_unlock(lock);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, wait_items, &queue_lock);
  pthread_create(&b, NULL, wait_items, &stats_lock);  // same condition, another mutex
  while (__atomic_load_n(&waiting, __ATOMIC_SEQ_CST) < 2) sched_yield();
  pthread_mutex_lock(&queue_lock);
  pthread_mutex_lock(&stats_lock);
  items = 1;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&stats_lock);
  pthread_mutex_unlock(&queue_lock);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("items = %d\n", items);
  return 0;
}
