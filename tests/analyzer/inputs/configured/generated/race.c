/* Two threads increment a counter without a lock. */
#include <pthread.h>
#include <stddef.h>

static long counter;

static void *worker(void *arg) {
  counter++;
  return arg;
}

int main(void) {
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);
  return (int)counter;
}
