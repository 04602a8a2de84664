// conc-hazard: 19 writer starvation on a reader-writer lock: overlapping readers keep the route-table writer out
// conc-expect-runtime: starvation
// conc-expect-lint: blocking-under-lock:28
// conc-run: options=starvation_ms=100
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_rwlock_t routes_lock = PTHREAD_RWLOCK_INITIALIZER;  // glibc's default prefers readers
static int routes[16];
static long lookups;

static long elapsed_ms(const struct timespec* start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void* reader(void* arg) {
  usleep(1000 * (unsigned)(long)arg);  // staggered: some reader always holds the lock
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  long found = 0;
  while (elapsed_ms(&start) < 300) {
    pthread_rwlock_rdlock(&routes_lock);
    found += routes[found & 15];
    usleep(3000);
    pthread_rwlock_unlock(&routes_lock);
  }
  __atomic_fetch_add(&lookups, found + 1, __ATOMIC_RELAXED);
  return NULL;
}

static void* writer(void* arg) {
  (void)arg;
  usleep(20000);
  pthread_rwlock_wrlock(&routes_lock);
  for (int i = 0; i < 16; ++i) routes[i] = i;
  pthread_rwlock_unlock(&routes_lock);
  return NULL;
}

int main(void) {
  pthread_t readers[3], w;
  for (long i = 0; i < 3; ++i) pthread_create(&readers[i], NULL, reader, (void*)i);
  pthread_create(&w, NULL, writer, NULL);
  for (int i = 0; i < 3; ++i) pthread_join(readers[i], NULL);
  pthread_join(w, NULL);
  printf("lookups=%ld route[3]=%d\n", lookups, routes[3]);
  return 0;
}
