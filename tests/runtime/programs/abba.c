// Lock-order inversion without a hang: thread 1 takes A then B and finishes
// before thread 2 takes B then A.
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static int value;

static void *forward(void *arg) {
  (void)arg;
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);  // AB-LINE
  value++;
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  return NULL;
}

static void *backward(void *arg) {
  (void)arg;
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);  // BA-LINE
  value++;
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, forward, NULL);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, backward, NULL);
  pthread_join(t, NULL);
  printf("value = %d\n", value);
  return 0;
}
