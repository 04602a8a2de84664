// conc-hazard: 25 lost wakeup: the loader sets the flag main waits for without main's mutex, then signals
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:17 wait-without-lock:17
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t config_loaded = PTHREAD_COND_INITIALIZER;
static int loaded;

static void *load_config(void *arg) {
  (void)arg;
  usleep(10 * 1000);  // reading the configuration
  // Main may have seen `loaded == 0` and not be waiting yet: the signal is
  // then lost, and main waits forever.
  loaded = 1;
  pthread_cond_signal(&config_loaded);
  return NULL;
}

int main(void) {
  pthread_t loader;
  pthread_create(&loader, NULL, load_config, NULL);
  pthread_mutex_lock(&config_lock);
  while (!loaded) pthread_cond_wait(&config_loaded, &config_lock);
  pthread_mutex_unlock(&config_lock);
  printf("configuration loaded\n");
  pthread_join(loader, NULL);
  return 0;
}
