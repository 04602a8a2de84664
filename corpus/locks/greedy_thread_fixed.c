// conc-hazard: 18 starvation by a greedy thread (fixed: the sampler reads the sensor outside the mutex and holds it only to publish)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: options=starvation_ms=100
#define _GNU_SOURCE  // SCHED_IDLE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long samples;
static long snapshot;

static long elapsed_ms(const struct timespec* start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void* sampler(void* arg) {
  (void)arg;
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  while (elapsed_ms(&start) < 300) {
    usleep(1000);  // read the sensor first
    pthread_mutex_lock(&stats_lock);
    ++samples;
    pthread_mutex_unlock(&stats_lock);
  }
  return NULL;
}

static void* reporter(void* arg) {
  (void)arg;
  struct sched_param background = {0};  // a background thread: it runs when nothing else needs the CPU
  pthread_setschedparam(pthread_self(), SCHED_IDLE, &background);
  for (int i = 0; i < 20; ++i) {  // a report every 5 ms
    usleep(5000);
    pthread_mutex_lock(&stats_lock);
    snapshot = samples;
    pthread_mutex_unlock(&stats_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t s, r;
  pthread_create(&s, NULL, sampler, NULL);
  pthread_create(&r, NULL, reporter, NULL);
  pthread_join(s, NULL);
  pthread_join(r, NULL);
  printf("samples=%ld snapshot=%ld\n", samples, snapshot);
  return 0;
}
