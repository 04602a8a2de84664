// fork in a multithreaded program: the child runs without detection and
// exits with its own status; the parent keeps detecting.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *idle(void *arg) { return arg; }

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, idle, NULL);
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
