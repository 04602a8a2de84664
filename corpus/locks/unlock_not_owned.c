// conc-hazard: 17 unlock of a mutex not owned: a helper thread "releases" the caller's lock, then the caller unlocks again
// conc-expect-runtime: mutex-misuse
// conc-expect-lint: double-lock:12 blocking-under-lock:21 double-lock:23 double-lock:26
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static int jobs;

static void *finisher(void *arg) {
  (void)arg;
  pthread_mutex_unlock(&job_lock);  // never locked by this thread
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_mutex_lock(&job_lock);
  ++jobs;
  pthread_create(&t, NULL, finisher, NULL);
  pthread_join(t, NULL);
  printf("jobs = %d\n", jobs);
  pthread_mutex_lock(&job_lock);
  ++jobs;
  pthread_mutex_unlock(&job_lock);
  pthread_mutex_unlock(&job_lock);  // double unlock
  return 0;
}
