// conc-hazard: 4 race through library calls: memcpy/strlen on a shared buffer
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:14 unguarded-access:21
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static char message[64];

static void *writer(void *arg) {
  const char *text = arg;
  for (int i = 0; i < 100; ++i)
    memcpy(message, text, strlen(text) + 1);
  return NULL;
}

static void *reader(void *arg) {
  size_t *longest = arg;
  for (int i = 0; i < 100; ++i) {
    size_t length = strlen(message);
    if (length > *longest)
      *longest = length;
  }
  return NULL;
}

int main(void) {
  static char text[] = "a message from the writer thread";
  size_t longest = 0;
  pthread_t w, r;
  pthread_create(&w, NULL, writer, text);
  pthread_create(&r, NULL, reader, &longest);
  pthread_join(w, NULL);
  pthread_join(r, NULL);
  printf("longest = %zu\n", longest > 0 ? (size_t)1 : (size_t)0);
  return 0;
}
