// conc-hazard: 14 self-deadlock: a callee relocks the default mutex its caller holds
// conc-expect-runtime: deadlock
// conc-expect-lint: double-lock:19
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static int entries;

static void *worker(void *arg) {
  (void)arg;
  return NULL;
}

// Called with registry_lock held by register_entry: locks it again and
// blocks forever on a default (non-recursive) mutex.
static void log_entries(void) {
  pthread_mutex_lock(&registry_lock);
  printf("entries = %d\n", entries);
  pthread_mutex_unlock(&registry_lock);
}

static void register_entry(void) {
  pthread_mutex_lock(&registry_lock);
  ++entries;
  log_entries();
  pthread_mutex_unlock(&registry_lock);
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, NULL);
  register_entry();
  return 0;
}
