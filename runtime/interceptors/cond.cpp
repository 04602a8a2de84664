// Condition variables. In engine terms a wait unlocks the mutex and locks it
// again on return; signal and broadcast release on the condition variable and
// a returning wait acquires from it, so the signaller's writes happen before
// the woken thread's reads.
//
// Lock analyses: a wait must hold its mutex, and all concurrent waiters of a
// condition variable must use the same mutex; a waiting thread is blocked
// (untimed waits only count towards a hang).
#include <pthread.h>

#include "interceptors/lock_events.h"
#include "reports/format.h"

namespace conc::rt {
namespace {
CONC_REAL(pthread_cond_wait);
CONC_REAL(pthread_cond_timedwait);
CONC_REAL(pthread_cond_clockwait);
CONC_REAL(pthread_cond_signal);
CONC_REAL(pthread_cond_broadcast);

// Runs the real wait between the mutex's unlock and re-lock events. The
// mutex is held again on every return, timeouts included.
void check_wait(pthread_cond_t* c, pthread_mutex_t* m, engine::Pc pc) {
  engine::ThreadState* t = recording_thread();
  if (!t || !locks::enabled()) return;
  RuntimeScope scope;
  if (__atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) != current_os_tid())
    locks::report_misuse(t, pc, "wait on a condition variable without holding its mutex", addr_of(m));
  if (uintptr_t other = locks::cond_bindings().wait_begins(addr_of(c), addr_of(m)))
    locks::report_misuse(
        t, pc, "condition variable waited with two different mutexes (the other is " + hex(other) + ")",
        addr_of(c));
}

void wait_ended(pthread_cond_t* c) {
  if (recording_thread() && locks::enabled()) {
    RuntimeScope scope;
    locks::cond_bindings().wait_ends(addr_of(c));
  }
}

template <typename Wait>
int wait(pthread_cond_t* c, pthread_mutex_t* m, engine::Pc pc, bool timed, Wait real_wait) {
  check_wait(c, m, pc);
  unlocking(m, false, pc);
  int rc;
  {
    locks::BlockScope block({.kind = engine::WaitKind::Cond, .object = addr_of(c), .timed = timed}, pc);
    rc = real_wait();
  }
  locked(m, kBlocking, pc);
  acquired(c);
  wait_ended(c);
  return rc;
}
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  return wait(c, m, CONC_CALLER_PC, false, [&] { return real_pthread_cond_wait(c, m); });
}

CONC_EXPORT int pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m,
                                       const struct timespec* abstime) {
  return wait(c, m, CONC_CALLER_PC, true, [&] { return real_pthread_cond_timedwait(c, m, abstime); });
}

CONC_EXPORT int pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
                                       const struct timespec* abstime) {
  return wait(c, m, CONC_CALLER_PC, true, [&] { return real_pthread_cond_clockwait(c, m, clock, abstime); });
}

CONC_EXPORT int pthread_cond_signal(pthread_cond_t* c) noexcept {
  released(c);
  return real_pthread_cond_signal(c);
}

CONC_EXPORT int pthread_cond_broadcast(pthread_cond_t* c) noexcept {
  released(c);
  return real_pthread_cond_broadcast(c);
}
