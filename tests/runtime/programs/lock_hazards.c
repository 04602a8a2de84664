// Lock hazards for the end-to-end tests, one per mode (argv[1]).
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both;

static void *ab(void *arg) {
  (void)arg;
  pthread_mutex_lock(&a);
  pthread_barrier_wait(&both);
  pthread_mutex_lock(&b);  // AB-LINE
  return NULL;
}

static void *ba(void *arg) {
  (void)arg;
  pthread_mutex_lock(&b);
  pthread_barrier_wait(&both);
  pthread_mutex_lock(&a);  // BA-LINE
  return NULL;
}

static void *leave_locked(void *arg) {
  (void)arg;
  pthread_mutex_lock(&a);  // ABANDON-LINE
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t t1, t2;
  const char *mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "deadlock") == 0) {
    pthread_barrier_init(&both, NULL, 2);
    pthread_create(&t1, NULL, ab, NULL);
    pthread_create(&t2, NULL, ba, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
  } else if (strcmp(mode, "abandon") == 0) {
    pthread_create(&t1, NULL, leave_locked, NULL);
    pthread_join(t1, NULL);
  } else if (strcmp(mode, "misuse") == 0) {
    pthread_mutex_unlock(&b);  // MISUSE-LINE
  }
  puts("done");
  return 0;
}
