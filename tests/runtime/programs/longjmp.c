// Jumps out of nested instrumented calls thousands of times with one setjmp/
// longjmp flavour (argv[1]), then races: the racing access's stack must hold
// only the frames that are really active, and the jumps must not make the
// runtime's memory grow.
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

// What _FORTIFY_SOURCE turns longjmp into; called directly to test it alone.
extern void __longjmp_chk(jmp_buf env, int value) __attribute__((noreturn));

enum { kJumps = 20000, kWarmUp = 2000 };

static jmp_buf env;
static sigjmp_buf sigenv;
static const char* mode;
static long counter;
static volatile int depth_sink;

static void on_signal(int sig) {
  (void)sig;
  siglongjmp(sigenv, 1);
}

static void jump(void) {
  if (strcmp(mode, "longjmp") == 0) longjmp(env, 1);
  if (strcmp(mode, "_longjmp") == 0) _longjmp(env, 1);
  if (strcmp(mode, "siglongjmp") == 0) siglongjmp(sigenv, 1);
  if (strcmp(mode, "longjmp_chk") == 0) __longjmp_chk(env, 1);
  raise(SIGUSR1);  // "signal": the handler jumps
}

__attribute__((noinline)) static void level3(void) {
  depth_sink++;
  jump();
}
__attribute__((noinline)) static void level2(void) {
  level3();
  depth_sink++;
}
__attribute__((noinline)) static void level1(void) {
  level2();
  depth_sink++;
}

static long resident_kb(void) {
  long pages = 0, resident = 0;
  FILE* f = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// Each flavour's setjmp: plain setjmp (the function, not glibc's macro),
// _setjmp, and sigsetjmp (glibc's __sigsetjmp).
static int jump_once(void) {
  if (strcmp(mode, "longjmp") == 0 || strcmp(mode, "longjmp_chk") == 0) {
    if ((setjmp)(env) == 0) level1();
  } else if (strcmp(mode, "_longjmp") == 0) {
    if (_setjmp(env) == 0) level1();
  } else if (sigsetjmp(sigenv, 1) == 0) {
    level1();
  }
  return 1;
}

static void* worker(void* arg) {
  (void)arg;
  counter = 1;
  return NULL;
}

__attribute__((noinline)) static void racy_write(void) {
  counter = 2;  // RACE-LINE
}

int main(int argc, char** argv) {
  mode = argc > 1 ? argv[1] : "longjmp";
  signal(SIGUSR1, on_signal);
  long jumps = 0, warm_rss = 0;
  for (int i = 0; i < kJumps; ++i) {
    jumps += jump_once();
    if (i == kWarmUp) warm_rss = resident_kb();
  }
  long growth = resident_kb() - warm_rss;
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  racy_write();
  pthread_join(t, NULL);
  printf("%s: %ld jumps, resident growth %s\n", mode, jumps, growth < 1024 ? "under 1 MiB" : "over 1 MiB");
  return 0;
}
