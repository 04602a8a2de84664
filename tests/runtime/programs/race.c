// Two threads increment a global with no lock: one data race.
#include <pthread.h>
#include <stdio.h>

static long counter;

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 100; ++i) {
    counter++;  // RACE-LINE
  }
  return NULL;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  printf("counter = %ld\n", counter);
  return 0;
}
