// conc-hazard: race-free shape: pthread_once initializes a shared table once
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static int table[16];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void fill_table(void) {
  for (int i = 0; i < 16; ++i)
    table[i] = 3 * i;
}

static void *lookup(void *arg) {
  int *out = arg;
  pthread_once(&table_once, fill_table);
  *out = table[*out];
  return NULL;
}

int main(void) {
  int results[2] = {2, 5};
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, lookup, &results[i]);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);
  printf("%d %d\n", results[0], results[1]);
  return 0;
}
