// conc-hazard: 30 semaphore never released on an error path: the worker skips sem_post when it fails
// conc-expect-runtime: hang
// conc-expect-lint: lock-leak:19
// conc-run: timeout=10
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t done;
static int result;

static int load(int id) { return id == 1 ? -1 : id * 10; }

static void *worker(void *arg) {
  long id = (long)arg;
  int value = load((int)id);
  if (value < 0) {
    fprintf(stderr, "worker %ld failed\n", id);
    return NULL;  // no sem_post: the waiter below waits forever
  }
  __atomic_fetch_add(&result, value, __ATOMIC_RELAXED);
  sem_post(&done);
  return NULL;
}

int main(void) {
  pthread_t t[2];
  sem_init(&done, 0, 0);
  for (long i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, (void *)i);
  for (int i = 0; i < 2; ++i) sem_wait(&done);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  printf("result = %d\n", result);
  return 0;
}
