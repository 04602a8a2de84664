// conc-hazard: 20 livelock: two transfer workers each take their first account, fail the try-lock on the other, release and retry at once, in lock step
// conc-expect-runtime: livelock
// conc-expect-lint: livelock-retry:23 livelock-retry:40
// conc-run: options=livelock_ms=30
#include <pthread.h>
#include <stdio.h>

enum { kRounds = 5000 };  // then both give up

static pthread_mutex_t savings_lock = PTHREAD_MUTEX_INITIALIZER, checking_lock = PTHREAD_MUTEX_INITIALIZER;
static long savings = 100, checking = 100;
// Both workers start every attempt together, as they do when the same timer
// triggers them: the barrier makes that bad luck happen on every run (and
// lets both see a transfer before the next round).
static pthread_barrier_t tick;
static int transferred;

static void* to_checking(void* arg) {
  (void)arg;
  for (int round = 0; round < kRounds && !transferred; ++round) {
    pthread_mutex_lock(&savings_lock);
    pthread_barrier_wait(&tick);
    if (pthread_mutex_trylock(&checking_lock) == 0) {
      savings -= 10;
      checking += 10;
      transferred = 1;
      pthread_mutex_unlock(&checking_lock);
    }
    pthread_barrier_wait(&tick);
    pthread_mutex_unlock(&savings_lock);  // no back-off: straight back into the same collision
  }
  return NULL;
}

static void* to_savings(void* arg) {
  (void)arg;
  for (int round = 0; round < kRounds && !transferred; ++round) {
    pthread_mutex_lock(&checking_lock);
    pthread_barrier_wait(&tick);
    if (pthread_mutex_trylock(&savings_lock) == 0) {
      checking -= 10;
      savings += 10;
      transferred = 1;
      pthread_mutex_unlock(&savings_lock);
    }
    pthread_barrier_wait(&tick);
    pthread_mutex_unlock(&checking_lock);
  }
  return NULL;
}

int main(void) {
  pthread_barrier_init(&tick, NULL, 2);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, to_checking, NULL);
  pthread_create(&t2, NULL, to_savings, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  pthread_barrier_destroy(&tick);
  printf("%s: savings=%ld checking=%ld\n", transferred ? "transferred" : "gave up", savings, checking);
  return 0;
}
