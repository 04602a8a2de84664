// conc-hazard: 1 data race behind a pointer (fixed: the tally carries its own mutex, taken around each update)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct tally {
  pthread_mutex_t lock;
  long words;
  long lines;
};

static void *count_words(void *arg) {
  struct tally *tally = arg;
  for (int line = 0; line < 300; ++line) {
    pthread_mutex_lock(&tally->lock);
    tally->words += 8;
    tally->lines++;
    pthread_mutex_unlock(&tally->lock);
  }
  return NULL;
}

int main(void) {
  struct tally *tally = calloc(1, sizeof *tally);
  pthread_mutex_init(&tally->lock, NULL);
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, count_words, tally);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);
  printf("%ld words on %ld lines\n", tally->words, tally->lines);
  pthread_mutex_destroy(&tally->lock);
  free(tally);
  return 0;
}
