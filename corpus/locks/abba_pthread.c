// conc-hazard: 11 lock-order inversion (ABBA) with pthread mutexes, through a helper function
// conc-expect-runtime: lock-order-inversion
// conc-expect-lint: lock-order-inversion:14
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t first_done;
static int queued, logged;

static void append_log(void) {
  pthread_mutex_lock(&log_lock);
  logged++;
  pthread_mutex_unlock(&log_lock);
}

static void *enqueue(void *arg) {
  (void)arg;
  pthread_mutex_lock(&queue_lock);
  queued++;
  append_log();
  pthread_mutex_unlock(&queue_lock);
  pthread_barrier_wait(&first_done);
  return NULL;
}

static void *rotate_log(void *arg) {
  (void)arg;
  pthread_barrier_wait(&first_done);  // keeps this run from hanging
  pthread_mutex_lock(&log_lock);
  pthread_mutex_lock(&queue_lock);
  logged = queued;
  pthread_mutex_unlock(&queue_lock);
  pthread_mutex_unlock(&log_lock);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_barrier_init(&first_done, NULL, 2);
  pthread_create(&a, NULL, enqueue, NULL);
  pthread_create(&b, NULL, rotate_log, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_barrier_destroy(&first_done);
  printf("logged = %d\n", logged);
  return 0;
}
