// conc-hazard: 20 livelock (fixed: both workers lock the accounts in one global order, so neither has to back off)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>

struct account {
  pthread_mutex_t lock;
  long balance;
};

static struct account savings = {PTHREAD_MUTEX_INITIALIZER, 100}, checking = {PTHREAD_MUTEX_INITIALIZER, 100};

struct transfer {
  struct account* from;
  struct account* to;
};

static void* transfer_worker(void* arg) {
  struct transfer* t = arg;
  // The lower address first, whichever way the money goes.
  struct account* first = t->from < t->to ? t->from : t->to;
  struct account* second = t->from < t->to ? t->to : t->from;
  pthread_mutex_lock(&first->lock);
  pthread_mutex_lock(&second->lock);
  t->from->balance -= 10;
  t->to->balance += 10;
  pthread_mutex_unlock(&second->lock);
  pthread_mutex_unlock(&first->lock);
  return NULL;
}

int main(void) {
  struct transfer a = {&savings, &checking}, b = {&checking, &savings};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, transfer_worker, &a);
  pthread_create(&t2, NULL, transfer_worker, &b);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("savings=%ld checking=%ld\n", savings.balance, checking.balance);
  return 0;
}
