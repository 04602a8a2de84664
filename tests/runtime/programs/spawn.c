// vfork, fork and posix_spawn: the children run (and exit with their own
// status) and the parent's runtime state stays consistent: a pipe used
// across a vfork child that closed and duplicated descriptors still orders
// the parent's threads, so nothing is reported.
#define _GNU_SOURCE
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int channel[2];
static int data;

static void *producer(void *arg) {
  (void)arg;
  data = 42;
  if (write(channel[1], "x", 1) != 1) abort();
  return NULL;
}

static int status_of(pid_t pid) {
  int status;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

int main(void) {
  if (pipe(channel) != 0) return 2;
  pid_t pid = vfork();
  if (pid == 0) {  // closes and duplicates in the child must not touch the parent's channels
    close(channel[0]);
    dup2(channel[1], STDOUT_FILENO);
    close(channel[1]);
    execl("/bin/sh", "sh", "-c", "exit 3", (char *)NULL);
    _exit(127);
  }
  int vfork_status = status_of(pid);

  pid = fork();
  if (pid == 0) _exit(4);
  int fork_status = status_of(pid);

  char *argv[] = {"sh", "-c", "exit 5", NULL};
  pid_t spawned;
  int spawn_status = posix_spawn(&spawned, "/bin/sh", NULL, NULL, argv, environ) == 0 ? status_of(spawned) : -1;

  pthread_t t;
  pthread_create(&t, NULL, producer, NULL);
  char byte;
  if (read(channel[0], &byte, 1) != 1) return 2;
  int seen = data;
  pthread_join(t, NULL);
  printf("vfork %d fork %d posix_spawn %d data %d\n", vfork_status, fork_status, spawn_status, seen);
  return 0;
}
