// A heap block written by two threads without synchronization: the report
// names the block and where it was allocated.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *worker(void *arg) {
  int *block = arg;
  block[1] = 42;  // RACE-LINE
  return NULL;
}

int main(void) {
  int *block = calloc(4, sizeof *block);  // ALLOC-LINE
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, block);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  printf("%d\n", block[1]);
  free(block);
  return 0;
}
