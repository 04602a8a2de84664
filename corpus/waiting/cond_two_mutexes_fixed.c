// conc-hazard: 29 condition variable waited with two different mutexes, fixed: one mutex guards the predicate
// conc-expect-runtime: none
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int items;

static void *wait_items(void *arg) {
  (void)arg;
  pthread_mutex_lock(&queue_lock);
  while (items == 0) pthread_cond_wait(&changed, &queue_lock);
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, wait_items, NULL);
  pthread_create(&b, NULL, wait_items, NULL);
  pthread_mutex_lock(&queue_lock);
  items = 1;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&queue_lock);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("items = %d\n", items);
  return 0;
}
