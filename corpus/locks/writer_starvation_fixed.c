// conc-hazard: 19 writer starvation on a reader-writer lock (fixed: a writer-preferring rwlock lets the waiting writer in first)
// conc-expect-runtime: none
// conc-expect-lint: blocking-under-lock:29
// conc-run: options=starvation_ms=100
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_rwlock_t routes_lock;
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
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);  // new readers wait for a waiting writer
  pthread_rwlock_init(&routes_lock, &attr);
  pthread_rwlockattr_destroy(&attr);
  pthread_t readers[3], w;
  for (long i = 0; i < 3; ++i) pthread_create(&readers[i], NULL, reader, (void*)i);
  pthread_create(&w, NULL, writer, NULL);
  for (int i = 0; i < 3; ++i) pthread_join(readers[i], NULL);
  pthread_join(w, NULL);
  printf("lookups=%ld route[3]=%d\n", lookups, routes[3]);
  return 0;
}
