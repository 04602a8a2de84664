// conc-hazard: 15 abandoned lock: a worker returns on its error path without unlocking
// conc-expect-runtime: abandoned-lock
// conc-expect-lint: lock-leak:15
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table[4];

static void *insert(void *arg) {
  long key = (long)arg;
  pthread_mutex_lock(&table_lock);
  if (key >= 4) {
    fprintf(stderr, "bad key %ld\n", key);
    return NULL;  // the lock stays held forever
  }
  table[key]++;
  pthread_mutex_unlock(&table_lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, insert, (void *)7L);
  pthread_join(t, NULL);
  // A trylock shows the damage without hanging this run.
  if (pthread_mutex_trylock(&table_lock) != 0) printf("table is locked forever\n");
  return 0;
}
