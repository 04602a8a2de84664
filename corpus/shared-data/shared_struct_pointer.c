// conc-hazard: 1 data race behind a pointer: each worker gets the same heap-allocated tally through its argument
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:17 unguarded-access:18
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct tally {
  long words;
  long lines;
};

static void *count_words(void *arg) {
  struct tally *tally = arg;
  for (int line = 0; line < 300; ++line) {
    tally->words += 8;
    tally->lines++;
  }
  return NULL;
}

int main(void) {
  struct tally *tally = calloc(1, sizeof *tally);
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, count_words, tally);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);
  printf("%ld words on %ld lines\n", tally->words, tally->lines);
  free(tally);
  return 0;
}
