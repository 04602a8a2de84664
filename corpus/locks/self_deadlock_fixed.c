// conc-hazard: 14 self-deadlock, fixed: the callee expects the lock to be held
// conc-expect-runtime: none
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static int entries;

static void *worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&registry_lock);
  ++entries;
  pthread_mutex_unlock(&registry_lock);
  return NULL;
}

// Requires registry_lock held by the caller.
static void log_entries_locked(void) { printf("entries = %d\n", entries); }

static void register_entry(void) {
  pthread_mutex_lock(&registry_lock);
  ++entries;
  log_entries_locked();
  pthread_mutex_unlock(&registry_lock);
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  register_entry();
  pthread_join(t, NULL);
  return 0;
}
