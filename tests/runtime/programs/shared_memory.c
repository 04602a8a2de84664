// Processes sharing memory (MAP_SHARED mappings made before fork), one mode
// (argv[1]) each: "racy" and "shm_open" let parent and child write the same
// word unordered; the others order the child's write before the parent's
// through waitpid or waitid, a process-shared mutex, a semaphore in the shared
// page, an atomic flag, or a pipe, and must stay silent.
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct page {
  long data;
  pthread_mutex_t lock;
  sem_t ready_sem;
  atomic_int ready_flag;
};

static struct page* map_anonymous(void) {
  void* p = mmap(NULL, sizeof(struct page), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

static struct page* map_shm(void) {
  char name[64];
  snprintf(name, sizeof name, "/conc-shared-memory-%d", (int)getpid());
  int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) return NULL;
  shm_unlink(name);
  void* p = ftruncate(fd, sizeof(struct page)) == 0
                ? mmap(NULL, sizeof(struct page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                : MAP_FAILED;
  close(fd);
  return p == MAP_FAILED ? NULL : p;
}

__attribute__((noinline)) static void child_write(struct page* p) {
  p->data = 1;  // CHILD-LINE
}

__attribute__((noinline)) static void parent_write(struct page* p) {
  p->data = 2;  // PARENT-LINE
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  struct page* p = strcmp(mode, "shm_open") == 0 ? map_shm() : map_anonymous();
  if (!p) return 1;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  pthread_mutex_init(&p->lock, &attr);
  sem_init(&p->ready_sem, 1, 0);
  int message[2];
  if (pipe(message) != 0) return 1;

  pid_t child = fork();
  if (child == 0) {
    if (strcmp(mode, "mutex") == 0) pthread_mutex_lock(&p->lock);
    child_write(p);
    if (strcmp(mode, "mutex") == 0) pthread_mutex_unlock(&p->lock);
    if (strcmp(mode, "semaphore") == 0) sem_post(&p->ready_sem);
    if (strcmp(mode, "atomic") == 0) atomic_store_explicit(&p->ready_flag, 1, memory_order_release);
    if (strcmp(mode, "pipe") == 0 && write(message[1], "x", 1) != 1) _exit(1);
    _exit(0);
  }
  char byte;
  if (strcmp(mode, "waitpid") == 0) waitpid(child, NULL, 0);
  siginfo_t info;
  if (strcmp(mode, "waitid") == 0) waitid(P_PID, (id_t)child, &info, WEXITED);
  if (strcmp(mode, "semaphore") == 0) sem_wait(&p->ready_sem);
  if (strcmp(mode, "atomic") == 0)
    while (atomic_load_explicit(&p->ready_flag, memory_order_acquire) == 0) usleep(100);
  if (strcmp(mode, "pipe") == 0 && read(message[0], &byte, 1) != 1) return 1;
  if (strcmp(mode, "racy") == 0 || strcmp(mode, "shm_open") == 0) usleep(20000);  // the child writes first
  if (strcmp(mode, "mutex") == 0) pthread_mutex_lock(&p->lock);
  parent_write(p);
  if (strcmp(mode, "mutex") == 0) pthread_mutex_unlock(&p->lock);
  int status = 0;
  waitpid(child, &status, 0);
  printf("%s: child exit %d\n", mode, WEXITSTATUS(status));
  return 0;
}
