// conc-hazard: 28 one sentinel for many consumers (fixed: one NULL request per worker)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>

#define SLOTS 16
#define WORKERS 4

static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ring_nonempty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ring_nonfull = PTHREAD_COND_INITIALIZER;
static const char *ring[SLOTS];
static int head, count;
static long served;

static void put(const char *request) {
  pthread_mutex_lock(&ring_lock);
  while (count == SLOTS) pthread_cond_wait(&ring_nonfull, &ring_lock);
  ring[(head + count++) % SLOTS] = request;
  pthread_cond_signal(&ring_nonempty);
  pthread_mutex_unlock(&ring_lock);
}

static const char *take(void) {
  pthread_mutex_lock(&ring_lock);
  while (count == 0) pthread_cond_wait(&ring_nonempty, &ring_lock);
  const char *request = ring[head];
  head = (head + 1) % SLOTS;
  --count;
  if (request) ++served;
  pthread_cond_signal(&ring_nonfull);
  pthread_mutex_unlock(&ring_lock);
  return request;
}

static void *worker(void *arg) {
  (void)arg;
  while (take() != NULL) {
  }
  return NULL;
}

int main(void) {
  pthread_t workers[WORKERS];
  for (int i = 0; i < WORKERS; ++i) pthread_create(&workers[i], NULL, worker, NULL);
  for (int i = 0; i < 200; ++i) put("GET /");
  for (int i = 0; i < WORKERS; ++i) put(NULL);
  for (int i = 0; i < WORKERS; ++i) pthread_join(workers[i], NULL);
  printf("served %ld\n", served);
  return 0;
}
