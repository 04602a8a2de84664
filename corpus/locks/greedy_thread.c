// conc-hazard: 18 starvation by a greedy thread: the sampler re-takes the stats spin lock right after releasing it, so the spinning reporter rarely sees it free
// conc-expect-runtime: starvation
// conc-expect-lint: blocking-under-lock:26
// conc-run: runs=3 options=starvation_ms=100
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_spinlock_t stats_lock;
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
    pthread_spin_lock(&stats_lock);
    usleep(1000);  // read the sensor while holding the lock...
    ++samples;
    pthread_spin_unlock(&stats_lock);  // ...and take it again at once: the reader never gets in
  }
  return NULL;
}

static void* reporter(void* arg) {
  (void)arg;
  for (int i = 0; i < 20; ++i) {  // a report every 5 ms
    usleep(5000);
    pthread_spin_lock(&stats_lock);
    snapshot = samples;
    pthread_spin_unlock(&stats_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t s, r;
  pthread_spin_init(&stats_lock, PTHREAD_PROCESS_PRIVATE);
  pthread_create(&s, NULL, sampler, NULL);
  pthread_create(&r, NULL, reporter, NULL);
  pthread_join(s, NULL);
  pthread_join(r, NULL);
  printf("samples=%ld snapshot=%ld\n", samples, snapshot);
  return 0;
}
