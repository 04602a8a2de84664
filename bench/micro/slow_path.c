// Microbenchmark of the engine's slow path (not part of `make bench`): every
// round starts a new epoch (a mutex release), then each thread touches
// scattered granules of its own memory (read-modify-write) and of shared
// read-only memory, so every access is the first to its granule in the epoch
// and is checked and stored. Used for round 7 in docs/performance.md:
//
//   build/bin/conc-cc -O2 -g bench/micro/slow_path.c -o slow_path
//   clang-16 -O2 -g -fsanitize=thread bench/micro/slow_path.c -o slow_path-tsan
//   perf stat -e task-clock ./slow_path 2        (argv[1]: threads, default 2)
//   valgrind --tool=cachegrind ./slow_path 1     (instructions per access)
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

enum { kRounds = 20000, kTouches = 128, kWords = 8192 };

static pthread_mutex_t epoch_lock = PTHREAD_MUTEX_INITIALIZER;
static long shared[kWords];

static void* run(void* arg) {
  (void)arg;
  long* mine = calloc(kWords, sizeof(long));
  long sum = 0;
  for (int round = 0; round < kRounds; ++round) {
    pthread_mutex_lock(&epoch_lock);
    pthread_mutex_unlock(&epoch_lock);
    for (int i = 0; i < kTouches; ++i) mine[(i * 61 + round) & (kWords - 1)] += i;
    for (int i = 0; i < kTouches; ++i) sum += shared[(i * 67 + round) & (kWords - 1)];
  }
  free(mine);
  return (void*)(intptr_t)sum;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2;
  if (n < 1 || n > 16) n = 2;
  pthread_t threads[16];
  for (int i = 0; i < kWords; ++i) shared[i] = i;
  for (int i = 0; i < n; ++i) pthread_create(&threads[i], NULL, run, NULL);
  for (int i = 0; i < n; ++i) pthread_join(threads[i], NULL);
  return 0;
}
