// conc-hazard: 15 abandoned lock (fixed: every way out of the loop unlocks first)
// conc-expect-runtime: none
// conc-expect-lint: none
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
    pthread_mutex_unlock(&queue_lock);
    if (item < 0)
      break;
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
