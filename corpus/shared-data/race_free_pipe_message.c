// conc-hazard: race-free shape: message passing through a pipe (the pointer travels, the data follows)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct job {
  int id;
  int payload[8];
};

static int channel[2];

static void *producer(void *arg) {
  (void)arg;
  for (int id = 0; id < 4; ++id) {
    struct job *job = malloc(sizeof *job);
    job->id = id;
    for (int i = 0; i < 8; ++i)
      job->payload[i] = id * i;
    if (write(channel[1], &job, sizeof job) != sizeof job)
      abort();
  }
  return NULL;
}

static void *consumer(void *arg) {
  long *sum = arg;
  for (int n = 0; n < 4; ++n) {
    struct job *job;
    if (read(channel[0], &job, sizeof job) != sizeof job)
      abort();
    for (int i = 0; i < 8; ++i)
      *sum += job->payload[i];
    free(job);
  }
  return NULL;
}

int main(void) {
  long sum = 0;
  pthread_t p, c;
  if (pipe(channel) != 0)
    return 1;
  pthread_create(&c, NULL, consumer, &sum);
  pthread_create(&p, NULL, producer, NULL);
  pthread_join(p, NULL);
  pthread_join(c, NULL);
  printf("sum = %ld\n", sum);
  return 0;
}
