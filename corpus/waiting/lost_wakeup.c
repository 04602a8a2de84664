// conc-hazard: 25 lost wakeup: the loader signals before main waits, and main waits without checking a flag
// conc-expect-runtime: hang
// conc-expect-lint: wait-without-loop:32
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t config_loaded = PTHREAD_COND_INITIALIZER;
static int port;

static void *load_config(void *arg) {
  (void)arg;
  pthread_mutex_lock(&config_lock);
  port = 8080;
  pthread_cond_signal(&config_loaded);  // nobody waits yet: the signal is lost
  pthread_mutex_unlock(&config_lock);
  return NULL;
}

static void open_log(void) {
  usleep(50 * 1000);  // main's own start-up work, long enough for the loader to finish first
}

int main(void) {
  pthread_t loader;
  pthread_create(&loader, NULL, load_config, NULL);
  open_log();
  pthread_mutex_lock(&config_lock);
  /* waits for a signal that was already sent: forever */
  pthread_cond_wait(&config_loaded, &config_lock);
  printf("port = %d\n", port);
  pthread_mutex_unlock(&config_lock);
  pthread_join(loader, NULL);
  return 0;
}
