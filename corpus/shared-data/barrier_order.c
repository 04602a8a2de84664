// conc-hazard: 8 order violation: the "add 3" threads must finish before the "double" thread
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:13 unguarded-access:19
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static int parts[2];
static int result;

static void *add_three(void *arg) {
  int slot = *(int *)arg;
  parts[slot] += 3;
  return NULL;
}

static void *double_sum(void *arg) {
  (void)arg;
  result = 2 * (parts[0] + parts[1]);
  return NULL;
}

int main(void) {
  static int slots[2] = {0, 1};
  pthread_t adders[2], doubler;
  pthread_create(&doubler, NULL, double_sum, NULL);
  for (int i = 0; i < 2; ++i)
    pthread_create(&adders[i], NULL, add_three, &slots[i]);
  for (int i = 0; i < 2; ++i)
    pthread_join(adders[i], NULL);
  pthread_join(doubler, NULL);
  printf("result = %d\n", result);
  return 0;
}
