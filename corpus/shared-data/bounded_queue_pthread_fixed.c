// conc-hazard: 3 bounded producer-consumer queue (fixed: the monitor thread reads the count under the queue's lock)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

#define SLOTS 4

static int slots[SLOTS];
static int head, count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;

static void push(int item) {
  pthread_mutex_lock(&lock);
  while (count == SLOTS)
    pthread_cond_wait(&not_full, &lock);
  slots[(head + count) % SLOTS] = item;
  count++;
  pthread_cond_signal(&not_empty);
  pthread_mutex_unlock(&lock);
}

static int pop(void) {
  pthread_mutex_lock(&lock);
  while (count == 0)
    pthread_cond_wait(&not_empty, &lock);
  int item = slots[head];
  head = (head + 1) % SLOTS;
  count--;
  pthread_cond_signal(&not_full);
  pthread_mutex_unlock(&lock);
  return item;
}

static void *consumer(void *arg) {
  long *sum = arg;
  for (int i = 0; i < 100; ++i)
    *sum += pop();
  return NULL;
}

static void *monitor(void *arg) {
  int *fullest = arg;
  for (int i = 0; i < 200; ++i) {
    pthread_mutex_lock(&lock);
    int now = count;
    pthread_mutex_unlock(&lock);
    if (now > *fullest)
      *fullest = now;
  }
  return NULL;
}

int main(void) {
  long sum = 0;
  int fullest = 0;
  pthread_t consumer_thread, monitor_thread;
  pthread_create(&consumer_thread, NULL, consumer, &sum);
  pthread_create(&monitor_thread, NULL, monitor, &fullest);
  for (int i = 0; i < 100; ++i)
    push(i);
  pthread_join(consumer_thread, NULL);
  pthread_join(monitor_thread, NULL);
  printf("sum = %ld, fullest = %d\n", sum, fullest);
  return 0;
}
