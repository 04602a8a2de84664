// pthread mutexes and spinlocks: lock events after the lock is obtained,
// unlock events before it is released, so the engine's happens-before never
// lags the real lock. A successful try-lock never blocked, so it is flagged
// and adds no lock-order edge.
#include <pthread.h>

#include "interceptors/lock_events.h"

namespace conc::rt {
namespace {
CONC_REAL(pthread_mutex_init);
CONC_REAL(pthread_mutex_destroy);
CONC_REAL(pthread_mutex_lock);
CONC_REAL(pthread_mutex_trylock);
CONC_REAL(pthread_mutex_timedlock);
CONC_REAL(pthread_mutex_clocklock);
CONC_REAL(pthread_mutex_unlock);
CONC_REAL(pthread_spin_init);
CONC_REAL(pthread_spin_destroy);
CONC_REAL(pthread_spin_lock);
CONC_REAL(pthread_spin_trylock);
CONC_REAL(pthread_spin_unlock);
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int pthread_mutex_init(pthread_mutex_t* m, const pthread_mutexattr_t* attr) noexcept {
  int rc = real_pthread_mutex_init(m, attr);
  if (rc == 0) lock_created(m, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_mutex_destroy(pthread_mutex_t* m) noexcept {
  lock_destroyed(m);
  return real_pthread_mutex_destroy(m);
}

CONC_EXPORT int pthread_mutex_lock(pthread_mutex_t* m) noexcept {
  int rc = real_pthread_mutex_lock(m);
  if (lock_acquired(rc)) locked(m, kBlocking, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_mutex_trylock(pthread_mutex_t* m) noexcept {
  int rc = real_pthread_mutex_trylock(m);
  if (lock_acquired(rc)) locked(m, kTry, CONC_CALLER_PC);
  return rc;
}

// A timed lock may block, so it orders locks like a plain one.
CONC_EXPORT int pthread_mutex_timedlock(pthread_mutex_t* m, const struct timespec* abstime) noexcept {
  int rc = real_pthread_mutex_timedlock(m, abstime);
  if (lock_acquired(rc)) locked(m, kBlocking, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_mutex_clocklock(pthread_mutex_t* m, clockid_t clock, const struct timespec* abstime) noexcept {
  int rc = real_pthread_mutex_clocklock(m, clock, abstime);
  if (lock_acquired(rc)) locked(m, kBlocking, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_mutex_unlock(pthread_mutex_t* m) noexcept {
  unlocking(m, false, CONC_CALLER_PC);
  return real_pthread_mutex_unlock(m);
}

CONC_EXPORT int pthread_spin_init(pthread_spinlock_t* s, int pshared) noexcept {
  int rc = real_pthread_spin_init(s, pshared);
  if (rc == 0) lock_created(const_cast<int*>(s), CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_spin_destroy(pthread_spinlock_t* s) noexcept {
  lock_destroyed(const_cast<int*>(s));
  return real_pthread_spin_destroy(s);
}

CONC_EXPORT int pthread_spin_lock(pthread_spinlock_t* s) noexcept {
  int rc = real_pthread_spin_lock(s);
  if (rc == 0) locked(const_cast<int*>(s), kBlocking, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_spin_trylock(pthread_spinlock_t* s) noexcept {
  int rc = real_pthread_spin_trylock(s);
  if (rc == 0) locked(const_cast<int*>(s), kTry, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_spin_unlock(pthread_spinlock_t* s) noexcept {
  unlocking(const_cast<int*>(s), false, CONC_CALLER_PC);
  return real_pthread_spin_unlock(s);
}
