// Condition variables. In engine terms a wait unlocks the mutex and locks it
// again on return; signal and broadcast release on the condition variable and
// a returning wait acquires from it, so the signaller's writes happen before
// the woken thread's reads.
#include <pthread.h>

#include "interceptors/lock_events.h"

namespace conc::rt {
namespace {
CONC_REAL(pthread_cond_wait);
CONC_REAL(pthread_cond_timedwait);
CONC_REAL(pthread_cond_clockwait);
CONC_REAL(pthread_cond_signal);
CONC_REAL(pthread_cond_broadcast);

// Runs the real wait between the mutex's unlock and re-lock events. The
// mutex is held again on every return, timeouts included.
template <typename Wait> int wait(pthread_cond_t* c, pthread_mutex_t* m, engine::Pc pc, Wait real_wait) {
  unlocking(m, false, pc);
  int rc = real_wait();
  locked(m, kBlocking, pc);
  acquired(c);
  return rc;
}
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  return wait(c, m, CONC_CALLER_PC, [&] { return real_pthread_cond_wait(c, m); });
}

CONC_EXPORT int pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m, const struct timespec* abstime) {
  return wait(c, m, CONC_CALLER_PC, [&] { return real_pthread_cond_timedwait(c, m, abstime); });
}

CONC_EXPORT int pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
                                       const struct timespec* abstime) {
  return wait(c, m, CONC_CALLER_PC, [&] { return real_pthread_cond_clockwait(c, m, clock, abstime); });
}

CONC_EXPORT int pthread_cond_signal(pthread_cond_t* c) noexcept {
  released(c);
  return real_pthread_cond_signal(c);
}

CONC_EXPORT int pthread_cond_broadcast(pthread_cond_t* c) noexcept {
  released(c);
  return real_pthread_cond_broadcast(c);
}
