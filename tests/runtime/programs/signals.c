// Signal handlers during runtime work: a timer and pthread_kill hammer
// threads that lock, unlock, allocate and free (so signals land inside the
// engine and the malloc interceptor), and the handler touches instrumented
// thread-local data. The program must finish, with no report. Signals sent
// to the thread itself (raise, kill, pthread_kill) are handled before the
// call returns.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

enum { kWorkers = 4, kRounds = 200000 };

static __thread volatile sig_atomic_t hits;  // per thread: handlers run on any thread
static _Atomic long total_hits;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long shared_counter;

static void on_signal(int sig) {
  (void)sig;
  hits = hits + 1;
}

static void on_signal_info(int sig, siginfo_t *info, void *context) {
  (void)context;
  if (info->si_signo == sig) hits = hits + 1;
}

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < kRounds; ++i) {
    pthread_mutex_lock(&mu);
    shared_counter++;
    pthread_mutex_unlock(&mu);
    void *p = malloc((size_t)(16 + i % 512));
    memset(p, i, 16);
    free(p);
  }
  total_hits += hits;
  return NULL;
}

static int self_signals(void) {
  int before = hits;
  if (raise(SIGUSR1) != 0 || hits != before + 1) return 1;
  if (kill(getpid(), SIGUSR1) != 0 || hits != before + 2) return 1;  // the only thread: delivered here
  if (pthread_kill(pthread_self(), SIGUSR2) != 0 || hits != before + 3) return 1;
  return 0;
}

int main(void) {
  struct sigaction act = {0}, old;
  act.sa_handler = on_signal;
  act.sa_flags = SA_RESTART;
  if (sigaction(SIGALRM, &act, NULL) != 0) return 2;
  act.sa_flags = SA_RESTART | SA_SIGINFO;
  act.sa_sigaction = on_signal_info;
  if (sigaction(SIGUSR2, &act, NULL) != 0) return 2;
  if (signal(SIGUSR1, on_signal) == SIG_ERR) return 2;
  // The program sees its own handlers, not the runtime's wrapper.
  if (sigaction(SIGUSR1, NULL, &old) != 0 || old.sa_handler != on_signal) return 3;
  if (signal(SIGUSR1, on_signal) != on_signal) return 3;
  if (sigaction(SIGUSR2, NULL, &old) != 0 || old.sa_sigaction != on_signal_info || !(old.sa_flags & SA_SIGINFO))
    return 3;
  if (self_signals() != 0) return 4;

  struct itimerval timer = {{0, 200}, {0, 200}};  // every 200 microseconds
  if (setitimer(ITIMER_REAL, &timer, NULL) != 0) return 2;
  pthread_t t[kWorkers];
  for (int i = 0; i < kWorkers; ++i) pthread_create(&t[i], NULL, worker, NULL);
  for (int round = 0; round < 2000; ++round) {
    for (int i = 0; i < kWorkers; ++i) pthread_kill(t[i], round % 2 ? SIGUSR1 : SIGUSR2);
    usleep(100);
  }
  for (int i = 0; i < kWorkers; ++i) pthread_join(t[i], NULL);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  if (shared_counter != (long)kWorkers * kRounds) return 5;
  if (self_signals() != 0) return 4;
  printf("ok\n");
  return total_hits > 0 ? 0 : 6;
}
