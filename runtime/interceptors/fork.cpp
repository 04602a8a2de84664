// fork: the child of a multithreaded process may find the engine's internal
// locks held by threads that no longer exist, so it runs with detection
// switched off (its own reports would be unreliable anyway). The parent is
// unaffected. Documented in docs/runtime.md. Locks that other threads hold
// at the fork stay locked forever in the child: the parent reports them
// (mutex-misuse) before forking. Memory the two share (MAP_SHARED mappings
// made before the fork) is still watched, by both (shared_memory.h).
//
// vfork is a fork: a vfork child borrows the parent's memory and thread
// (its TLS, so its engine state), and anything it calls before exec (close,
// dup2 in a spawn sequence) would update the parent's runtime state for a
// process that is not the parent. A vfork interceptor cannot call the real
// vfork either: the child would return through, and clobber, the
// interceptor's stack frame that the parent still needs. ThreadSanitizer
// makes the same choice. posix_spawn, system and popen use their own clone
// inside glibc and call no interceptor.
#include <pthread.h>
#include <unistd.h>

#include "interceptors/lock_analyses.h"
#include "interceptors/shared_memory.h"

namespace conc::rt {
namespace {
CONC_REAL(fork);

// Where the program called fork, for the report of the prepare handler.
__thread engine::Pc t_fork_pc __attribute__((tls_model("initial-exec")));

// Prepare handlers run in the reverse order of their registration, so this
// one, registered at initialization, runs after the program's: a lock that a
// program's own handler takes (waiting for its holder if need be) is then
// the forking thread's, and not reported.
void check_locks_at_fork() {
  if (engine::ThreadState* t = recording_thread()) {
    RuntimeScope scope;
    locks::before_fork(t, t_fork_pc);
  }
}
}  // namespace

void register_fork_check() { pthread_atfork(check_locks_at_fork, nullptr, nullptr); }
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT pid_t fork() noexcept {
  cross_process::before_fork();
  t_fork_pc = CONC_CALLER_PC;
  if (engine::ThreadState* t = recording_thread()) {
    RuntimeScope scope;
    if (cross_process::watching()) {
      // A new epoch: the parent's next accesses of shared memory reach the
      // slow path, which checks them against the child's.
      g_engine->release(t, reinterpret_cast<uintptr_t>(&real_fork));
    }
  }
  pid_t pid = real_fork();
  if (pid == 0) {
    disable_detection_after_fork();
    cross_process::after_fork_in_child();
  }
  return pid;
}

CONC_EXPORT pid_t vfork() noexcept { return fork(); }
