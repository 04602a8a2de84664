// conc-hazard: race-free shape: data set before the threads start, read after they are joined
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static int input[4];
static int output[4];

static void *square(void *arg) {
  int i = *(int *)arg;
  output[i] = input[i] * input[i];
  return NULL;
}

int main(void) {
  static int index[4] = {0, 1, 2, 3};
  pthread_t threads[4];
  for (int i = 0; i < 4; ++i)
    input[i] = i + 2;
  for (int i = 0; i < 4; ++i)
    pthread_create(&threads[i], NULL, square, &index[i]);
  for (int i = 0; i < 4; ++i)
    pthread_join(threads[i], NULL);
  for (int i = 0; i < 4; ++i)
    input[i] = output[i];
  printf("%d %d %d %d\n", input[0], input[1], input[2], input[3]);
  return 0;
}
