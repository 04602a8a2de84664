// conc-hazard: 1 data race in a callback scheduled on a background thread: the thread calls it through a function pointer from a queue
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:54 unguarded-access:63
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

// A background thread runs scheduled (function, argument) pairs in order.
struct job {
  void (*function)(void *);
  void *arg;
};

static struct job queue[64];
static int queued, done;
static int stopping;
static pthread_mutex_t queue_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_changed = PTHREAD_COND_INITIALIZER;

static void *background_thread(void *unused) {
  (void)unused;
  for (;;) {
    pthread_mutex_lock(&queue_mutex);
    while (done == queued && !stopping) pthread_cond_wait(&queue_changed, &queue_mutex);
    if (done == queued) {
      pthread_mutex_unlock(&queue_mutex);
      return NULL;
    }
    struct job next = queue[done % 64];
    pthread_mutex_unlock(&queue_mutex);
    next.function(next.arg);
    pthread_mutex_lock(&queue_mutex);
    ++done;
    pthread_cond_broadcast(&queue_changed);
    pthread_mutex_unlock(&queue_mutex);
  }
}

static void schedule(void (*function)(void *), void *arg) {
  pthread_mutex_lock(&queue_mutex);
  while (queued - done == 64) pthread_cond_wait(&queue_changed, &queue_mutex);
  queue[queued % 64].function = function;
  queue[queued % 64].arg = arg;
  ++queued;
  pthread_cond_broadcast(&queue_changed);
  pthread_mutex_unlock(&queue_mutex);
}

static long compactions;

static void compact(void *unused) {
  (void)unused;
  ++compactions;  // on the background thread, while main reads it
}

int main(void) {
  pthread_t background;
  pthread_create(&background, NULL, background_thread, NULL);
  for (int i = 0; i < 3; ++i) {
    schedule(compact, NULL);
    usleep(20000);                           // other work
    if (compactions > 50) printf("busy\n");  // read without the lock
  }
  pthread_mutex_lock(&queue_mutex);
  stopping = 1;
  pthread_cond_broadcast(&queue_changed);
  pthread_mutex_unlock(&queue_mutex);
  pthread_join(background, NULL);
  printf("%ld compactions\n", compactions);
  return 0;
}
