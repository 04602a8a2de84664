// conc-hazard: 4 race through library calls (fixed: the buffer's mutex is held around both)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static char message[64];
static pthread_mutex_t message_mutex = PTHREAD_MUTEX_INITIALIZER;

static void *writer(void *arg) {
  const char *text = arg;
  for (int i = 0; i < 100; ++i) {
    pthread_mutex_lock(&message_mutex);
    memcpy(message, text, strlen(text) + 1);
    pthread_mutex_unlock(&message_mutex);
  }
  return NULL;
}

static void *reader(void *arg) {
  size_t *longest = arg;
  for (int i = 0; i < 100; ++i) {
    pthread_mutex_lock(&message_mutex);
    size_t length = strlen(message);
    pthread_mutex_unlock(&message_mutex);
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
