// conc-hazard: race-free shape: a POSIX semaphore hands a filled buffer to a consumer
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static int buffer[8];
static sem_t buffer_full;

static void *producer(void *arg) {
  (void)arg;
  for (int i = 0; i < 8; ++i)
    buffer[i] = i * i;
  sem_post(&buffer_full);
  return NULL;
}

static void *consumer(void *arg) {
  int *sum = arg;
  sem_wait(&buffer_full);
  for (int i = 0; i < 8; ++i)
    *sum += buffer[i];
  return NULL;
}

int main(void) {
  int sum = 0;
  pthread_t p, c;
  sem_init(&buffer_full, 0, 0);
  pthread_create(&c, NULL, consumer, &sum);
  pthread_create(&p, NULL, producer, NULL);
  pthread_join(p, NULL);
  pthread_join(c, NULL);
  sem_destroy(&buffer_full);
  printf("sum = %d\n", sum);
  return 0;
}
