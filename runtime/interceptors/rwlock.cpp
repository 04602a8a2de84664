// pthread reader-writer locks: readers are shared acquisitions, writers
// exclusive. At unlock, glibc's __cur_writer (the writer's TID) tells which
// kind of hold is being released.
//
// Lock analyses: a blocking lock tries first and records (and times) its wait
// only when it has to block; failed try and timed locks feed the livelock
// check. The lock table keeps the writer (exclusive hold) and each reader.
#include <pthread.h>

#include "interceptors/lock_events.h"

namespace conc::rt {
namespace {
CONC_REAL(pthread_rwlock_init);
CONC_REAL(pthread_rwlock_destroy);
CONC_REAL(pthread_rwlock_rdlock);
CONC_REAL(pthread_rwlock_tryrdlock);
CONC_REAL(pthread_rwlock_timedrdlock);
CONC_REAL(pthread_rwlock_clockrdlock);
CONC_REAL(pthread_rwlock_wrlock);
CONC_REAL(pthread_rwlock_trywrlock);
CONC_REAL(pthread_rwlock_timedwrlock);
CONC_REAL(pthread_rwlock_clockwrlock);
CONC_REAL(pthread_rwlock_unlock);

constexpr engine::LockFlags kRead{.try_lock = false, .shared = true};
constexpr engine::LockFlags kTryRead{.try_lock = true, .shared = true};

template <typename Try, typename Lock>
int blocking_lock(pthread_rwlock_t* rw, engine::LockFlags flags, bool timed, engine::Pc pc, Try real_try,
                  Lock real_lock) {
  int rc = recording_thread() && locks::enabled() ? real_try() : EBUSY;
  locks::Blocked blocked;
  if (rc == EBUSY) {
    locks::BlockScope block({.kind = engine::WaitKind::Lock, .object = addr_of(rw), .timed = timed}, pc);
    rc = real_lock();
    blocked = block.blocked();
  }
  if (rc == 0)
    locked(rw, flags, pc, false, blocked);
  else if (rc == ETIMEDOUT)
    lock_attempt_failed(rw, pc);
  return rc;
}
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int pthread_rwlock_init(pthread_rwlock_t* rw, const pthread_rwlockattr_t* attr) noexcept {
  int rc = real_pthread_rwlock_init(rw, attr);
  if (rc == 0) lock_created(rw, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_rwlock_destroy(pthread_rwlock_t* rw) noexcept {
  lock_destroyed(rw);
  return real_pthread_rwlock_destroy(rw);
}

CONC_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t* rw) noexcept {
  return blocking_lock(
      rw, kRead, false, CONC_CALLER_PC, [&] { return real_pthread_rwlock_tryrdlock(rw); },
      [&] { return real_pthread_rwlock_rdlock(rw); });
}

CONC_EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t* rw) noexcept {
  int rc = real_pthread_rwlock_tryrdlock(rw);
  if (rc == 0)
    locked(rw, kTryRead, CONC_CALLER_PC);
  else if (rc == EBUSY)
    lock_attempt_failed(rw, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t* rw, const struct timespec* abstime) noexcept {
  return blocking_lock(
      rw, kRead, true, CONC_CALLER_PC, [&] { return real_pthread_rwlock_tryrdlock(rw); },
      [&] { return real_pthread_rwlock_timedrdlock(rw, abstime); });
}

CONC_EXPORT int pthread_rwlock_clockrdlock(pthread_rwlock_t* rw, clockid_t clock,
                                           const struct timespec* abstime) noexcept {
  return blocking_lock(
      rw, kRead, true, CONC_CALLER_PC, [&] { return real_pthread_rwlock_tryrdlock(rw); },
      [&] { return real_pthread_rwlock_clockrdlock(rw, clock, abstime); });
}

CONC_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t* rw) noexcept {
  return blocking_lock(
      rw, kBlocking, false, CONC_CALLER_PC, [&] { return real_pthread_rwlock_trywrlock(rw); },
      [&] { return real_pthread_rwlock_wrlock(rw); });
}

CONC_EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t* rw) noexcept {
  int rc = real_pthread_rwlock_trywrlock(rw);
  if (rc == 0)
    locked(rw, kTry, CONC_CALLER_PC);
  else if (rc == EBUSY)
    lock_attempt_failed(rw, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t* rw, const struct timespec* abstime) noexcept {
  return blocking_lock(
      rw, kBlocking, true, CONC_CALLER_PC, [&] { return real_pthread_rwlock_trywrlock(rw); },
      [&] { return real_pthread_rwlock_timedwrlock(rw, abstime); });
}

CONC_EXPORT int pthread_rwlock_clockwrlock(pthread_rwlock_t* rw, clockid_t clock,
                                           const struct timespec* abstime) noexcept {
  return blocking_lock(
      rw, kBlocking, true, CONC_CALLER_PC, [&] { return real_pthread_rwlock_trywrlock(rw); },
      [&] { return real_pthread_rwlock_clockwrlock(rw, clock, abstime); });
}

CONC_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t* rw) noexcept {
  bool shared = __atomic_load_n(&rw->__data.__cur_writer, __ATOMIC_RELAXED) != current_os_tid();
  unlocking(rw, shared, CONC_CALLER_PC);
  return real_pthread_rwlock_unlock(rw);
}
