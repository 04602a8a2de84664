// conc-hazard: 33 join cycle, fixed: only the creator joins its threads
// conc-expect-runtime: none
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>

static pthread_t first, second;
static int done[2];

static void *run(void *arg) {
  done[(long)arg] = 1;
  return NULL;
}

int main(void) {
  pthread_create(&first, NULL, run, (void *)0L);
  pthread_create(&second, NULL, run, (void *)1L);
  pthread_join(first, NULL);
  pthread_join(second, NULL);
  printf("done = %d %d\n", done[0], done[1]);
  return 0;
}
