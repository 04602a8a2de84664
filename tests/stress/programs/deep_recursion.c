// Stress: deep recursion with locks held. Four threads each recurse to depth
// N (argv[1], default 20000), taking a recursive mutex at every level (held
// N times at the bottom) and, at 64 evenly spaced levels, one more of 64
// plain mutexes, always in the same order. The runtime's shadow call stack
// and held-lock sets grow with the depth; the program is race-free and
// deadlock-free, so nothing may be reported.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { kThreads = 4, kLevels = 64 };

static pthread_mutex_t recursive;
static pthread_mutex_t levels[kLevels];
static long visits;  // guarded by recursive
static int depth_max, stride;

static long recurse(int depth) {
  volatile char frame[32];  // a real frame per level
  frame[depth % 32] = (char)depth;
  pthread_mutex_lock(&recursive);
  int level = depth % stride == 0 ? depth / stride : -1;
  if (level >= 0 && level < kLevels) pthread_mutex_lock(&levels[level]);
  ++visits;
  long sum = frame[depth % 32] == (char)depth ? depth : -1;
  if (depth < depth_max) sum += recurse(depth + 1);
  if (level >= 0 && level < kLevels) pthread_mutex_unlock(&levels[level]);
  pthread_mutex_unlock(&recursive);
  return sum;
}

static void* worker(void* arg) {
  long* result = arg;
  *result = recurse(0);
  return NULL;
}

int main(int argc, char** argv) {
  depth_max = argc > 1 ? atoi(argv[1]) : 20000;
  stride = depth_max / kLevels > 0 ? depth_max / kLevels : 1;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&recursive, &attr);
  pthread_mutexattr_destroy(&attr);
  for (int i = 0; i < kLevels; ++i) pthread_mutex_init(&levels[i], NULL);
  pthread_t threads[kThreads];
  long results[kThreads];
  for (int i = 0; i < kThreads; ++i) pthread_create(&threads[i], NULL, worker, &results[i]);
  for (int i = 0; i < kThreads; ++i) pthread_join(threads[i], NULL);
  long expected = (long)depth_max * (depth_max + 1) / 2;
  int ok = 1;
  for (int i = 0; i < kThreads; ++i) ok = ok && results[i] == expected;
  printf("depth %d visits %ld sums %s\n", depth_max, visits, ok ? "ok" : "wrong");
  return ok ? 0 : 1;
}
