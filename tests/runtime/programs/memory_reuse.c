// Memory that comes back to the program from a thread that ended, with
// nothing ordering that thread before the memory's next user: a correct
// runtime forgets what was done there and reports nothing.
//   stacks: detached threads one after another; glibc gives each the stack
//           and static TLS of one that ended (locals and __thread variables)
//   mappings: each thread maps, fills and unmaps; the next mapping lands at
//             the same address
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { kRounds = 30, kMapping = 1 << 16 };

static __thread int per_thread_total;

// Out of line, so the caller's array is written through a pointer (an access
// the compilers instrument, unlike a local that does not escape).
__attribute__((noinline)) static void fill(volatile int* values, int count) {
  for (int i = 0; i < count; ++i) values[i] = i;
}

static void* use_stack(void* arg) {
  int local[64];
  fill(local, 64);
  per_thread_total += (int)(long)arg + local[1];
  return NULL;
}

static void* use_mapping(void* arg) {
  (void)arg;
  char* p = mmap(NULL, kMapping, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  for (int i = 0; i < kMapping; i += 64) p[i] = 1;
  munmap(p, kMapping);
  return NULL;
}

int main(int argc, char** argv) {
  void* (*worker)(void*) = argc > 1 && strcmp(argv[1], "mappings") == 0 ? use_mapping : use_stack;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  for (long round = 0; round < kRounds; ++round) {
    pthread_t thread;
    if (pthread_create(&thread, &attr, worker, (void*)round) != 0) return 1;
    usleep(3000);  // the thread ends meanwhile; sleeping orders nothing
  }
  pthread_attr_destroy(&attr);
  puts("ok");
  return 0;
}
