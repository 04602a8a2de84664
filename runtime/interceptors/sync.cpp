// Barriers, pthread_once and POSIX semaphores: pure happens-before edges
// (release before the operation can let another thread through, acquire
// after it let this one through).
//
// Lock analyses: a thread inside an untimed barrier or semaphore wait is
// blocked (the semaphore is tried first, so only a real wait is recorded).
// So is a thread in an untimed futex wait made through syscall():
// libstdc++ builds C++20 atomic waits, and with them std::counting_semaphore,
// std::barrier and std::latch, on syscall(SYS_futex, ...) inlined in the
// program, not on any pthread call. Their happens-before edges need nothing
// here: they are atomics, which the instrumentation reports.
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/syscall.h>

#include <cstdarg>

#include "interceptors/lock_events.h"

namespace conc::rt {
namespace {
CONC_REAL(pthread_barrier_wait);
CONC_REAL(pthread_once);
CONC_REAL(sem_post);
CONC_REAL(sem_wait);
CONC_REAL(sem_trywait);
CONC_REAL(sem_timedwait);
CONC_REAL(sem_clockwait);

// pthread_once's routine takes no argument, so the routine to run and the
// once control travel to the trampoline through TLS; nested once calls
// save and restore them.
struct OnceCall {
  void (*routine)();
  pthread_once_t* control;
};
__thread OnceCall current_once __attribute__((tls_model("initial-exec")));

void once_trampoline() {
  OnceCall call = current_once;
  call.routine();
  released(call.control);  // everything the routine did happens before every return from pthread_once
}

// Puts the outer call back even when the routine throws (std::call_once).
class OnceScope {
 public:
  OnceScope(void (*routine)(), pthread_once_t* control) : saved_(current_once) {
    current_once = {routine, control};
  }
  ~OnceScope() { current_once = saved_; }
  OnceScope(const OnceScope&) = delete;
  OnceScope& operator=(const OnceScope&) = delete;

 private:
  OnceCall saved_;
};

int sem_waited(sem_t* s, int rc) {
  if (rc == 0) acquired(s);
  return rc;
}

// syscall() is variadic, which Real cannot express; glibc's reads six
// argument registers whatever the call passed, and so does the interceptor.
using SyscallFn = long (*)(long, ...);
std::atomic<SyscallFn> g_real_syscall{nullptr};

long real_syscall(long number, const long (&a)[6]) {
  SyscallFn f = g_real_syscall.load(std::memory_order_relaxed);
  if (__builtin_expect(f == nullptr, 0)) {
    f = reinterpret_cast<SyscallFn>(resolve_next("syscall"));
    g_real_syscall.store(f, std::memory_order_relaxed);
  }
  return f(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

// A wait that only a wake can end: FUTEX_WAIT or FUTEX_WAIT_BITSET with no
// timeout. Not only private ones: libstdc++ 12 as Debian builds it leaves the
// private flag out. The operation is an int, as the kernel reads it: callers
// pass an int, whose register's upper half is undefined.
bool untimed_futex_wait(int op, long timeout) {
  const int cmd = op & FUTEX_CMD_MASK;
  return (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET) && timeout == 0;
}
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int pthread_barrier_wait(pthread_barrier_t* b) noexcept {
  released(b);
  int rc;
  {
    locks::BlockScope block({.kind = engine::WaitKind::Barrier, .object = addr_of(b)}, CONC_CALLER_PC);
    rc = real_pthread_barrier_wait(b);
  }
  acquired(b);
  return rc;
}

CONC_EXPORT int pthread_once(pthread_once_t* control, void (*routine)()) {
  int rc;
  {
    OnceScope scope(routine, control);
    rc = real_pthread_once(control, once_trampoline);
  }
  acquired(control);
  return rc;
}

CONC_EXPORT int sem_post(sem_t* s) noexcept {
  released(s);
  return real_sem_post(s);
}

CONC_EXPORT int sem_wait(sem_t* s) {
  if (real_sem_trywait(s) == 0) return sem_waited(s, 0);
  locks::BlockScope block({.kind = engine::WaitKind::Semaphore, .object = addr_of(s)}, CONC_CALLER_PC);
  return sem_waited(s, real_sem_wait(s));
}
CONC_EXPORT int sem_trywait(sem_t* s) noexcept { return sem_waited(s, real_sem_trywait(s)); }
CONC_EXPORT int sem_timedwait(sem_t* s, const struct timespec* abstime) {
  return sem_waited(s, real_sem_timedwait(s, abstime));
}
CONC_EXPORT int sem_clockwait(sem_t* s, clockid_t clock, const struct timespec* abstime) {
  return sem_waited(s, real_sem_clockwait(s, clock, abstime));
}

CONC_EXPORT long syscall(long number, ...) noexcept {
  long a[6];
  va_list args;
  va_start(args, number);
  for (long& arg : a) arg = va_arg(args, long);
  va_end(args);
  if (number != SYS_futex || !untimed_futex_wait(static_cast<int>(a[1]), a[3]))
    return real_syscall(number, a);
  locks::BlockScope block({.kind = engine::WaitKind::Futex, .object = static_cast<uintptr_t>(a[0])},
                          CONC_CALLER_PC);
  return real_syscall(number, a);
}
