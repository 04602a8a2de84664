// A data race, then the program dies (argv[1]): a segmentation fault, abort,
// SIGTERM or SIGKILL. The race's report must already be in the report file,
// whole.
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static long counter;

static void *worker(void *arg) {
  (void)arg;
  counter++;  // RACE-LINE
  return NULL;
}

int main(int argc, char **argv) {
  const char *how = argc > 1 ? argv[1] : "";
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  int *volatile nowhere = NULL;
  if (strcmp(how, "segv") == 0) *nowhere = 1;
  if (strcmp(how, "abort") == 0) abort();
  if (strcmp(how, "sigterm") == 0) raise(SIGTERM);
  if (strcmp(how, "sigkill") == 0) raise(SIGKILL);
  return 0;
}
