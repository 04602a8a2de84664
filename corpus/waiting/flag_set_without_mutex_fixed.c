// conc-hazard: 25 lost wakeup (fixed: the loader sets the flag under main's mutex, so main either sees it or is already waiting)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t config_loaded = PTHREAD_COND_INITIALIZER;
static int loaded;

static void *load_config(void *arg) {
  (void)arg;
  usleep(10 * 1000);  // reading the configuration
  pthread_mutex_lock(&config_lock);
  loaded = 1;
  pthread_mutex_unlock(&config_lock);
  pthread_cond_signal(&config_loaded);  // signalling after the unlock is fine
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
