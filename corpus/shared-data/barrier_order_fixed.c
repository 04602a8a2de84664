// conc-hazard: 8 order violation (fixed: a barrier orders the adds before the doubling)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static int parts[2];
static int result;
static pthread_barrier_t adds_done;

static void *add_three(void *arg) {
  int slot = *(int *)arg;
  parts[slot] += 3;
  pthread_barrier_wait(&adds_done);
  return NULL;
}

static void *double_sum(void *arg) {
  (void)arg;
  pthread_barrier_wait(&adds_done);
  result = 2 * (parts[0] + parts[1]);
  return NULL;
}

int main(void) {
  static int slots[2] = {0, 1};
  pthread_t adders[2], doubler;
  pthread_barrier_init(&adds_done, NULL, 3);
  pthread_create(&doubler, NULL, double_sum, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_create(&adders[i], NULL, add_three, &slots[i]);
  for (int i = 0; i < 2; ++i)
    pthread_join(adders[i], NULL);
  pthread_join(doubler, NULL);
  pthread_barrier_destroy(&adds_done);
  printf("result = %d\n", result);
  return 0;
}
