/* Threads whose race and lock-order inversion only show with state.c. */
#include <pthread.h>
#include <stddef.h>

extern pthread_mutex_t table_lock;
extern pthread_mutex_t log_lock;
void record_hit(void);
void log_then_table(void);

static void *counter_thread(void *arg) {
  record_hit();
  return arg;
}

static void *table_thread(void *arg) {
  pthread_mutex_lock(&table_lock);
  pthread_mutex_lock(&log_lock);
  pthread_mutex_unlock(&log_lock);
  pthread_mutex_unlock(&table_lock);
  return arg;
}

static void *logger_thread(void *arg) {
  log_then_table();
  return arg;
}

int main(void) {
  pthread_t threads[4];
  pthread_create(&threads[0], NULL, counter_thread, NULL);
  pthread_create(&threads[1], NULL, counter_thread, NULL);
  pthread_create(&threads[2], NULL, table_thread, NULL);
  pthread_create(&threads[3], NULL, logger_thread, NULL);
  for (int i = 0; i < 4; ++i)
    pthread_join(threads[i], NULL);
  return 0;
}
