// The annotation entry points of sanitizer/tsan_interface.h and the dynamic
// annotations, one mode (argv[1]) each. Declared here, as programs that
// annotate without depending on the sanitizer headers do.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void AnnotateBenignRaceSized(const char* file, int line, const volatile void* mem, size_t size,
                             const char* description);
void __tsan_check_no_mutexes_held(void);
void* __tsan_get_current_fiber(void);
void* __tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void* fiber);
void __tsan_switch_to_fiber(void* fiber, unsigned flags);
void* __tsan_external_register_tag(const char* object_type);
void __tsan_external_write(void* addr, void* caller_pc, void* tag);

enum { kFiberSwitchNoSync = 1 };

static long stats[4];  // statistics counters, racy on purpose
static long* heap_stats;
static void* external_object;
static void* external_tag;

static void* bump_stats(void* arg) {
  (void)arg;
  stats[1]++;  // BENIGN-LINE
  return NULL;
}

static void* bump_heap(void* arg) {
  (void)arg;
  heap_stats[0]++;  // HEAP-LINE
  return NULL;
}

// Races are reported once per pair of code locations, and the silenced race
// above counts: the race after the free is on other lines.
static void* bump_heap_again(void* arg) {
  (void)arg;
  heap_stats[0]++;  // FREED-LINE
  return NULL;
}

static void* external_user(void* arg) {
  (void)arg;
  __tsan_external_write(external_object, __builtin_return_address(0), external_tag);  // EXTERNAL-LINE
  return NULL;
}

static void race(void* (*fn)(void*)) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, fn, NULL);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
}

// Runs one fiber's work on this OS thread, switching there and back.
static void in_fiber(void* fiber, unsigned flags, long* data) {
  void* self = __tsan_get_current_fiber();
  __tsan_switch_to_fiber(fiber, flags);
  *data = 1;  // FIBER-LINE
  __tsan_switch_to_fiber(self, flags);
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "benign") == 0) {
    AnnotateBenignRaceSized(__FILE__, __LINE__, stats, sizeof stats, "statistics");
    race(bump_stats);
    heap_stats = malloc(sizeof(long));
    AnnotateBenignRaceSized(__FILE__, __LINE__, heap_stats, sizeof(long), "statistics");
    race(bump_heap);
    long* old = heap_stats;
    free(heap_stats);
    heap_stats = malloc(sizeof(long));  // glibc's cache hands the same block back
    *heap_stats = 0;
    printf("reused %d\n", heap_stats == old);
    race(bump_heap_again);  // the annotation ended with the free: reported
  } else if (strcmp(mode, "no_mutexes") == 0) {
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    __tsan_check_no_mutexes_held();
    pthread_mutex_lock(&mu);
    __tsan_check_no_mutexes_held();  // HELD-LINE
    pthread_mutex_unlock(&mu);
  } else if (strcmp(mode, "fiber_sync") == 0 || strcmp(mode, "fiber_nosync") == 0) {
    unsigned flags = strcmp(mode, "fiber_nosync") == 0 ? kFiberSwitchNoSync : 0;
    static long data;
    void* fiber = __tsan_create_fiber(0);
    in_fiber(fiber, flags, &data);
    data = 2;  // MAIN-FIBER-LINE
    __tsan_destroy_fiber(fiber);
    printf("data %ld\n", data);
  } else if (strcmp(mode, "external") == 0) {
    external_tag = __tsan_external_register_tag("Handle");
    external_object = malloc(16);
    race(external_user);
    free(external_object);
  }
  printf("%s done\n", mode);
  return 0;
}
