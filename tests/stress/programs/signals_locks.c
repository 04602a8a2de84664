// Stress: asynchronous signals delivered while threads lock and unlock. Four
// workers each run N rounds (argv[1], default 100000) of a mutex, a
// read-write lock and a spin lock around shared counters; a signaller thread
// keeps sending SIGUSR1 to every worker with pthread_kill until all are done.
// The handler does only async-signal-safe work (an atomic counter, errno
// kept). The counters must come out exact and nothing may be reported.
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { kWorkers = 4 };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t spin;
static long by_mutex, by_rwlock, by_spin;  // guarded by mu, rw and spin
static atomic_long handled;
static atomic_int finished;
static pthread_barrier_t done;
static long rounds;

static void on_signal(int sig) {
  (void)sig;
  int saved = errno;
  atomic_fetch_add(&handled, 1);
  errno = saved;
}

static void* worker(void* arg) {
  (void)arg;
  for (long i = 0; i < rounds; ++i) {
    pthread_mutex_lock(&mu);
    ++by_mutex;
    pthread_mutex_unlock(&mu);
    pthread_rwlock_wrlock(&rw);
    ++by_rwlock;
    pthread_rwlock_unlock(&rw);
    pthread_rwlock_rdlock(&rw);
    long seen = by_rwlock;
    pthread_rwlock_unlock(&rw);
    pthread_spin_lock(&spin);
    by_spin += seen > 0;
    pthread_spin_unlock(&spin);
  }
  atomic_fetch_add(&finished, 1);
  pthread_barrier_wait(&done);  // stays alive (a valid pthread_kill target) until the signaller stops
  return NULL;
}

int main(int argc, char** argv) {
  rounds = argc > 1 ? atol(argv[1]) : 100000;
  struct sigaction action = {0};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGUSR1, &action, NULL);
  pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
  pthread_barrier_init(&done, NULL, kWorkers + 1);
  pthread_t workers[kWorkers];
  for (int i = 0; i < kWorkers; ++i) pthread_create(&workers[i], NULL, worker, NULL);
  long sent = 0;
  do {  // main is the signaller
    for (int i = 0; i < kWorkers; ++i, ++sent) pthread_kill(workers[i], SIGUSR1);
    nanosleep(&(struct timespec){0, 20000}, NULL);  // leaves the workers the cores
  } while (atomic_load(&finished) < kWorkers);
  pthread_barrier_wait(&done);
  for (int i = 0; i < kWorkers; ++i) pthread_join(workers[i], NULL);
  long want = rounds * kWorkers;
  int exact = by_mutex == want && by_rwlock == want && by_spin == want;
  printf("rounds %ld counters %s signals %s\n", want, exact ? "exact" : "wrong",
         sent > 0 && atomic_load(&handled) > 0 ? "handled" : "lost");
  return exact ? 0 : 1;
}
