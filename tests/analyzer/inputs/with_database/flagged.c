/* Races only when compiled with -DSHARE_WITHOUT_LOCK (as the compile database says). */
#include <pthread.h>
#include <stddef.h>

static int value;
static pthread_mutex_t value_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
#ifndef SHARE_WITHOUT_LOCK
  pthread_mutex_lock(&value_lock);
#endif
  value++;
#ifndef SHARE_WITHOUT_LOCK
  pthread_mutex_unlock(&value_lock);
#endif
  return arg;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, worker, NULL);
  pthread_create(&b, NULL, worker, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return value;
}
