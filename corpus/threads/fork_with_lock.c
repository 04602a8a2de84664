// conc-hazard: 35 fork in a multithreaded program while another thread holds a lock the child needs
// conc-expect-runtime: mutex-misuse
// conc-expect-lint: blocking-under-lock:16 fork-in-threads:32
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int holding, release_it;

static void *logger(void *arg) {
  (void)arg;
  pthread_mutex_lock(&log_lock);
  __atomic_store_n(&holding, 1, __ATOMIC_SEQ_CST);
  while (!__atomic_load_n(&release_it, __ATOMIC_SEQ_CST)) usleep(1000);
  pthread_mutex_unlock(&log_lock);
  return NULL;
}

static void child(void) {
  // The logger thread does not exist here, and log_lock stays locked forever.
  if (pthread_mutex_trylock(&log_lock) != 0) _exit(3);
  pthread_mutex_unlock(&log_lock);
  _exit(0);
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, logger, NULL);
  while (!__atomic_load_n(&holding, __ATOMIC_SEQ_CST)) usleep(1000);
  pid_t pid = fork();
  if (pid == 0) child();
  int status = 0;
  waitpid(pid, &status, 0);
  __atomic_store_n(&release_it, 1, __ATOMIC_SEQ_CST);
  pthread_join(t, NULL);
  printf("child exit %d\n", WEXITSTATUS(status));
  return 0;
}
