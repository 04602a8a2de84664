// conc-hazard: 35 fork in a multithreaded program, fixed: fork before any thread exists
// conc-expect-runtime: none
// conc-expect-lint: none
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int lines;

static void *logger(void *arg) {
  (void)arg;
  pthread_mutex_lock(&log_lock);
  ++lines;
  pthread_mutex_unlock(&log_lock);
  return NULL;
}

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    pthread_mutex_lock(&log_lock);
    pthread_mutex_unlock(&log_lock);
    _exit(0);
  }
  pthread_t t;
  pthread_create(&t, NULL, logger, NULL);
  int status = 0;
  waitpid(pid, &status, 0);
  pthread_join(t, NULL);
  printf("child exit %d, lines %d\n", WEXITSTATUS(status), lines);
  return 0;
}
