// Barriers, pthread_once and POSIX semaphores: pure happens-before edges
// (release before the operation can let another thread through, acquire
// after it let this one through).
//
// Lock analyses: a thread inside an untimed barrier or semaphore wait is
// blocked (the semaphore is tried first, so only a real wait is recorded).
#include <pthread.h>
#include <semaphore.h>

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
