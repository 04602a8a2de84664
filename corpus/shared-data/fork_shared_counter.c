// conc-hazard: 9 race between processes on shared memory
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:13
// The counter lives in a MAP_SHARED page: after fork() parent and child update one object.
// conc-run: timeout=10
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void count_visits(long *visits) {
  for (int i = 0; i < 1000; ++i)
    (*visits)++;
}

int main(void) {
  long *visits = mmap(NULL, sizeof *visits, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (visits == MAP_FAILED)
    return 1;
  *visits = 0;
  pid_t child = fork();
  if (child == 0) {
    count_visits(visits);
    _exit(0);
  }
  count_visits(visits); // parent and child update the shared page at once
  waitpid(child, NULL, 0);
  printf("visits = %ld\n", *visits);
  munmap(visits, sizeof *visits);
  return 0;
}
