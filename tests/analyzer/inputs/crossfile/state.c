/* Shared state and its locks, used by threads.c. */
#include <pthread.h>

long hits;
pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void record_hit(void) { hits++; }

void log_then_table(void) {
  pthread_mutex_lock(&log_lock);
  pthread_mutex_lock(&table_lock);
  pthread_mutex_unlock(&table_lock);
  pthread_mutex_unlock(&log_lock);
}
