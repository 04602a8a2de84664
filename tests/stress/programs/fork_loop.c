// Stress: fork() in a loop from a threaded program. Worker threads keep
// taking a mutex and allocating while main forks N children (argv[1],
// default 200). main holds the mutex across each fork (what a
// pthread_atfork handler would do), so no other thread holds it when the
// child is made, and both processes unlock it after; the child takes it
// again, starts and joins a thread of its own, allocates, and exits with a
// status derived from its index; the parent checks every status. Nothing is
// racy, so nothing may be reported.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kWorkers = 4 };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;  // guarded by mu
static atomic_int stop;

static void* worker(void* arg) {
  (void)arg;
  do {  // at least once, so the counter is positive whatever the schedule
    char* block = malloc(256);
    memset(block, 1, 256);
    pthread_mutex_lock(&mu);
    counter += block[7];
    pthread_mutex_unlock(&mu);
    free(block);
  } while (!atomic_load(&stop));
  return NULL;
}

static void* child_thread(void* arg) {
  int* value = arg;
  pthread_mutex_lock(&mu);
  *value += 1;
  pthread_mutex_unlock(&mu);
  return NULL;
}

static int child(int index) {
  int value = index;
  pthread_t thread;
  if (pthread_create(&thread, NULL, child_thread, &value) != 0) return 100;
  pthread_join(thread, NULL);
  char* text = malloc(64);
  snprintf(text, 64, "%d", value);
  int status = atoi(text) % 50;
  free(text);
  return status;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  pthread_t workers[kWorkers];
  for (int i = 0; i < kWorkers; ++i) pthread_create(&workers[i], NULL, worker, NULL);
  int good = 0;
  for (int i = 0; i < n; ++i) {
    pthread_mutex_lock(&mu);
    pid_t pid = fork();
    pthread_mutex_unlock(&mu);
    if (pid < 0) {
      perror("fork");
      return 1;
    }
    if (pid == 0) _exit(child(i));
    int status;
    if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == (i + 1) % 50) ++good;
  }
  atomic_store(&stop, 1);
  for (int i = 0; i < kWorkers; ++i) pthread_join(workers[i], NULL);
  printf("children %d good %d counter %s\n", n, good, counter > 0 ? "positive" : "zero");
  return good == n ? 0 : 1;
}
