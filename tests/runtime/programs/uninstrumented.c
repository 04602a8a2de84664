// Built without -fsanitize=thread but linked with libconcrt: it must run
// normally, with a start-up note that races cannot be seen.
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int value;

static void *worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  value++;
  pthread_mutex_unlock(&mu);
  return NULL;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  printf("value = %d\n", value);
  return 0;
}
