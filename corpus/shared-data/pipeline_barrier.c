// conc-hazard: 8 two-stage pipeline: the barrier between the stages sits after the second stage, so a thread reads its neighbour's block before it is written
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:18 unguarded-access:26
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

#define WORKERS 3
#define BLOCK 64

static int samples[WORKERS][BLOCK];
static long smoothed[WORKERS];
static pthread_barrier_t stages;

/* Stage one: each worker fills its own block. */
static void stage_one(int id) {
  for (int i = 0; i < BLOCK; ++i)
    samples[id][i] = id * BLOCK + i;
}

/* Stage two: each worker combines its block with its right neighbour's. */
static void stage_two(int id) {
  int right = (id + 1) % WORKERS;
  long sum = 0;
  for (int i = 0; i < BLOCK; ++i)
    sum += samples[id][i] + samples[right][i];
  smoothed[id] = sum;
}

static void *worker(void *arg) {
  int id = *(int *)arg;
  stage_one(id);
    stage_two(id);
    pthread_barrier_wait(&stages); /* too late: stage two already read a neighbour's block */
  return NULL;
}

int main(void) {
  static int ids[WORKERS] = {0, 1, 2};
  pthread_t threads[WORKERS];
  pthread_barrier_init(&stages, NULL, WORKERS);
  for (int i = 0; i < WORKERS; ++i)
    pthread_create(&threads[i], NULL, worker, &ids[i]);
  for (int i = 0; i < WORKERS; ++i)
    pthread_join(threads[i], NULL);
  pthread_barrier_destroy(&stages);
  printf("%ld %ld %ld\n", smoothed[0], smoothed[1], smoothed[2]);
  return 0;
}
