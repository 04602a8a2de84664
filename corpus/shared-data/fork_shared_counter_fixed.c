// conc-hazard: 9 race between processes on shared memory
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

// The counter and a process-shared mutex live in the shared page.
struct shared_counter {
  pthread_mutex_t lock;
  long visits;
};

static void count_visits(struct shared_counter *shared) {
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&shared->lock);
    shared->visits++;
    pthread_mutex_unlock(&shared->lock);
  }
}

int main(void) {
  struct shared_counter *shared =
      mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED)
    return 1;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  pthread_mutex_init(&shared->lock, &attr);
  pthread_mutexattr_destroy(&attr);
  shared->visits = 0;
  pid_t child = fork();
  if (child == 0) {
    count_visits(shared);
    _exit(0);
  }
  count_visits(shared);
  waitpid(child, NULL, 0);
  printf("visits = %ld\n", shared->visits); // 2000: the child was reaped
  pthread_mutex_destroy(&shared->lock);
  munmap(shared, sizeof *shared);
  return 0;
}
