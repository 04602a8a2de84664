// conc-hazard: 17 unlock of a mutex not owned, fixed: each thread unlocks what it locked, once
// conc-expect-runtime: none
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static int jobs;

static void *finisher(void *arg) {
  (void)arg;
  pthread_mutex_lock(&job_lock);
  ++jobs;
  pthread_mutex_unlock(&job_lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, finisher, NULL);
  pthread_mutex_lock(&job_lock);
  ++jobs;
  pthread_mutex_unlock(&job_lock);
  pthread_join(t, NULL);
  printf("jobs = %d\n", jobs);
  return 0;
}
