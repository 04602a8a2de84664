// A race through a library call: both threads memcpy into one buffer. GCC
// leaves memcpy to libc, clang may call __tsan_memcpy; both must see it.
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static char shared[64];

static void *worker(void *arg) {
  char local[64];
  memset(local, *(const char *)arg, sizeof local);
  memcpy(shared, local, sizeof shared);  // RACE-LINE
  return NULL;
}

int main(void) {
  static const char fill[2] = {'a', 'b'};
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, (void *)&fill[i]);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  printf("%c\n", shared[0]);
  return 0;
}
