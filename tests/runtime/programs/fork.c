// fork in a multithreaded program: the child runs without detection and
// exits with its own status; the parent keeps detecting. With "atfork", a
// second thread holds a mutex when main forks, and main's pthread_atfork
// prepare handler takes that mutex first (waiting for it), as a program that
// forks safely does: nothing may be reported.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int held;

static void *idle(void *arg) { return arg; }

static void *holder(void *arg) {
  pthread_mutex_lock(&mu);
  atomic_store(&held, 1);
  usleep(100 * 1000);
  pthread_mutex_unlock(&mu);
  return arg;
}

static void take_mu(void) { pthread_mutex_lock(&mu); }
static void give_mu(void) { pthread_mutex_unlock(&mu); }

int main(int argc, char **argv) {
  const int atfork = argc > 1 && strcmp(argv[1], "atfork") == 0;
  if (atfork) pthread_atfork(take_mu, give_mu, give_mu);
  pthread_t t;
  pthread_create(&t, NULL, atfork ? holder : idle, NULL);
  while (atfork && !atomic_load(&held)) usleep(1000);
  pid_t pid = fork();
  if (pid == 0) {
    char *p = malloc(32);
    free(p);
    _exit(3);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  pthread_join(t, NULL);
  printf("child exit %d\n", WEXITSTATUS(status));
  return WEXITSTATUS(status) == 3 ? 0 : 1;
}
