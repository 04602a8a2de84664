// conc-hazard: 31 barrier with the wrong party count: three parties, two threads ever arrive
// conc-expect-runtime: hang
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t phase_end;
static int partial[2];

static void *work(void *arg) {
  long id = (long)arg;
  partial[id] = (int)id + 1;
  pthread_barrier_wait(&phase_end);  // waits for a third party that never comes
  return NULL;
}

int main(void) {
  pthread_t t[2];
  pthread_barrier_init(&phase_end, NULL, 3);
  for (long i = 0; i < 2; ++i) pthread_create(&t[i], NULL, work, (void *)i);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  printf("sum = %d\n", partial[0] + partial[1]);
  return 0;
}
