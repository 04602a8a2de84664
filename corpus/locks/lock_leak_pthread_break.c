// conc-hazard: 15 abandoned lock: a break out of the loop skips the unlock and the thread ends holding the lock
// conc-expect-runtime: abandoned-lock
// conc-expect-lint: lock-leak:23
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int queue[8], queued = 8;

static void *drain(void *arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&queue_lock);
    if (queued == 0) {
      pthread_mutex_unlock(&queue_lock);
      break;
    }
    int item = queue[--queued];
    if (item < 0)
      break; /* leaves the loop, and the thread, holding queue_lock */
    pthread_mutex_unlock(&queue_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  queue[3] = -1;
  pthread_create(&t, NULL, drain, NULL);
  pthread_join(t, NULL);
  if (pthread_mutex_trylock(&queue_lock) != 0)
    printf("queue_lock is locked forever\n");
  else
    pthread_mutex_unlock(&queue_lock);
  return 0;
}
