// conc-hazard: 25 lost wakeup (fixed: the loader sets a flag under the lock, and main waits only while it is unset)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t config_loaded = PTHREAD_COND_INITIALIZER;
static int loaded;
static int port;

static void *load_config(void *arg) {
  (void)arg;
  pthread_mutex_lock(&config_lock);
  port = 8080;
  loaded = 1;
  pthread_cond_signal(&config_loaded);
  pthread_mutex_unlock(&config_lock);
  return NULL;
}

static void open_log(void) {
  usleep(50 * 1000);
}

int main(void) {
  pthread_t loader;
  pthread_create(&loader, NULL, load_config, NULL);
  open_log();
  pthread_mutex_lock(&config_lock);
  while (!loaded) pthread_cond_wait(&config_loaded, &config_lock);
  printf("port = %d\n", port);
  pthread_mutex_unlock(&config_lock);
  pthread_join(loader, NULL);
  return 0;
}
