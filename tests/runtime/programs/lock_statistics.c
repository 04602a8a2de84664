// Starvation (a stream of readers, a long critical section), livelock, the
// contention table, an abandoned read lock, unbounded spawning and
// self-deadlock for the end-to-end tests, one per mode (argv[1]); and a
// short critical section that the machine's load stretches, which is none.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_rwlock_t table = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t counter_lock;
static pthread_barrier_t step;
static long counter;

static long elapsed_ms(const struct timespec* start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void* reader(void* arg) {
  usleep(1000 * (unsigned)(long)arg);
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  while (elapsed_ms(&start) < 250) {
    pthread_rwlock_rdlock(&table);  // READ-LINE
    usleep(3000);
    pthread_rwlock_unlock(&table);
  }
  return NULL;
}

static void* writer(void* arg) {
  (void)arg;
  usleep(20000);
  pthread_rwlock_wrlock(&table);  // WRITE-LINE
  pthread_rwlock_unlock(&table);
  return NULL;
}

static void* polite(void* arg) {
  pthread_mutex_t *mine = arg, *theirs = mine == &a ? &b : &a;
  for (int attempt = 0; attempt < 40; ++attempt) {
    pthread_mutex_lock(mine);
    pthread_barrier_wait(&step);
    int got = pthread_mutex_trylock(theirs) == 0;  // TRY-LINE
    pthread_barrier_wait(&step);
    if (got) pthread_mutex_unlock(theirs);
    pthread_mutex_unlock(mine);
    if (got) break;
    usleep(2000);
  }
  return NULL;
}

static void* read_and_return(void* arg) {
  (void)arg;
  pthread_rwlock_rdlock(&table);  // READ-ABANDON-LINE
  return NULL;
}

static void* nap(void* arg) {
  (void)arg;
  usleep(50000);
  return NULL;
}

static void* count(void* arg) {
  (void)arg;
  for (int i = 0; i < 200; ++i) {
    pthread_mutex_lock(&counter_lock);
    ++counter;
    usleep(100);
    pthread_mutex_unlock(&counter_lock);
  }
  return NULL;
}

static void* sleep_holding(void* arg) {
  (void)arg;
  pthread_mutex_lock(&counter_lock);  // HOLD-LINE
  pthread_barrier_wait(&step);
  usleep(300000);
  pthread_mutex_unlock(&counter_lock);
  return NULL;
}

static atomic_int spinning;

static void* spin(void* arg) {
  while (atomic_load(&spinning)) {
  }
  return arg;
}

// A few milliseconds of work under the lock, in a thread that only gets a CPU
// when nothing else wants one: the two spinning threads keep it off both CPUs
// of a 2-core machine, so the main thread waits far longer than the work.
static void* preempted_holding(void* arg) {
  struct sched_param background = {0};
  pthread_setschedparam(pthread_self(), SCHED_IDLE, &background);
  pthread_mutex_lock(&counter_lock);
  pthread_barrier_wait(&step);
  for (volatile long i = 0; i < 5000000; ++i) {
  }
  ++counter;
  pthread_mutex_unlock(&counter_lock);
  return arg;
}

int main(int argc, char** argv) {
  pthread_t t[4];
  const char* mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "starve") == 0) {
    for (long i = 0; i < 3; ++i) pthread_create(&t[i], NULL, reader, (void*)i);
    pthread_create(&t[3], NULL, writer, NULL);
    for (int i = 0; i < 4; ++i) pthread_join(t[i], NULL);
  } else if (strcmp(mode, "livelock") == 0) {
    pthread_barrier_init(&step, NULL, 2);
    pthread_create(&t[0], NULL, polite, &a);
    pthread_create(&t[1], NULL, polite, &b);
    for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  } else if (strcmp(mode, "contention") == 0) {
    pthread_mutex_init(&counter_lock, NULL);  // INIT-LINE
    for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, count, NULL);
    for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  } else if (strcmp(mode, "long_hold") == 0) {
    pthread_mutex_init(&counter_lock, NULL);
    pthread_barrier_init(&step, NULL, 2);
    pthread_create(&t[0], NULL, sleep_holding, NULL);
    pthread_barrier_wait(&step);        // the lock is held from here on
    pthread_mutex_lock(&counter_lock);  // WAIT-LINE
    pthread_mutex_unlock(&counter_lock);
    pthread_join(t[0], NULL);
  } else if (strcmp(mode, "preempted_hold") == 0) {
    pthread_mutex_init(&counter_lock, NULL);
    pthread_barrier_init(&step, NULL, 2);
    atomic_store(&spinning, 1);
    pthread_create(&t[0], NULL, spin, NULL);
    pthread_create(&t[1], NULL, spin, NULL);
    pthread_create(&t[2], NULL, preempted_holding, NULL);
    pthread_barrier_wait(&step);
    pthread_mutex_lock(&counter_lock);
    pthread_mutex_unlock(&counter_lock);
    atomic_store(&spinning, 0);
    for (int i = 0; i < 3; ++i) pthread_join(t[i], NULL);
  } else if (strcmp(mode, "abandon_read") == 0) {
    pthread_create(&t[0], NULL, read_and_return, NULL);
    pthread_join(t[0], NULL);
  } else if (strcmp(mode, "spawn") == 0) {
    pthread_t many[12];
    for (int i = 0; i < 12; ++i) pthread_create(&many[i], NULL, nap, NULL);  // SPAWN-LINE
    for (int i = 0; i < 12; ++i) pthread_join(many[i], NULL);
  } else if (strcmp(mode, "relock") == 0) {
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&a);  // RELOCK-LINE
  }
  puts("done");
  return 0;
}
