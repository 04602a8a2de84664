// A program that defines ThreadSanitizer's start and end hooks: the runtime
// calls __tsan_on_initialize once it is ready, and __tsan_on_finalize at exit,
// whose result replaces "reports were printed" as the failure status.
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static long counter;

void __tsan_on_initialize(void) { write(STDOUT_FILENO, "initialized\n", 12); }

int __tsan_on_finalize(int failed) {
  printf("finalize %d\n", failed);
  fflush(stdout);
  return 0;  // the race is known: exit normally
}

static void* worker(void* arg) {
  (void)arg;
  counter++;
  return NULL;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  return 0;
}
