// pthread mutexes and spinlocks: lock events after the lock is obtained,
// unlock events before it is released, so the engine's happens-before never
// lags the real lock. A successful try-lock never blocked, so it is flagged
// and adds no lock-order edge.
//
// Lock analyses: failed try-locks feed the livelock check, and waits the
// starvation check and lock statistics. Misuse is read from glibc's own mutex
// state (__owner is the owner's OS thread id for every mutex type, __lock is 0
// when unlocked), which is exact and costs nothing. A blocking lock first
// tries the lock; only when that fails does the thread record its wait for the
// watchdog and block.
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

constexpr int kKindMask = 3;  // PTHREAD_MUTEX_KIND_MASK_NP
constexpr int kRobust = 16;   // PTHREAD_MUTEX_ROBUST_NORMAL_NP

int kind_bits(const pthread_mutex_t* m) { return __atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED); }
int owner_os_tid(const pthread_mutex_t* m) { return __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED); }
bool is_locked(const pthread_mutex_t* m) { return __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) != 0; }
bool robust(const pthread_mutex_t* m) { return (kind_bits(m) & kRobust) != 0; }

// Runs `check` (which may report misuse) for a recorded thread when the lock
// analyses are on.
template <typename Check>
void misuse_check(Check check) {
  engine::ThreadState* t = recording_thread();
  if (!t || !locks::enabled()) return;
  RuntimeScope scope;
  check(t);
}

// A lock that may block. Relocking a normal mutex it owns blocks forever:
// the watchdog reports that deadlock (started here, the program may have no
// other thread); an error-checking or timed relock returns, so it is misuse.
// The wait is recorded, and timed, only when the lock is taken; a timed lock
// that gives up is a failed attempt like a try-lock's.
template <typename Lock>
int blocking_lock(pthread_mutex_t* m, engine::Pc pc, bool timed, Lock real_lock) {
  const bool analysed = recording_thread() && locks::enabled();
  misuse_check([&](engine::ThreadState* t) {
    const int kind = kind_bits(m) & kKindMask;
    if (kind == PTHREAD_MUTEX_RECURSIVE || owner_os_tid(m) != current_os_tid()) return;
    if (kind == PTHREAD_MUTEX_ERRORCHECK || timed)
      locks::report_misuse(t, pc, "relock of a non-recursive mutex by the thread that holds it", addr_of(m));
    else
      locks::self_deadlock_ahead();
  });
  int rc = analysed ? real_pthread_mutex_trylock(m) : EBUSY;
  locks::Blocked blocked;
  if (rc == EBUSY) {
    locks::BlockScope block({.kind = engine::WaitKind::Lock, .object = addr_of(m), .timed = timed}, pc);
    rc = real_lock();
    blocked = block.blocked();
  }
  if (lock_acquired(rc))
    locked(m, kBlocking, pc, robust(m), blocked);
  else if (rc == ETIMEDOUT)
    lock_attempt_failed(m, pc);
  return rc;
}
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int pthread_mutex_init(pthread_mutex_t* m, const pthread_mutexattr_t* attr) noexcept {
  int rc = real_pthread_mutex_init(m, attr);
  if (rc == 0) lock_created(m, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_mutex_destroy(pthread_mutex_t* m) noexcept {
  misuse_check([&](engine::ThreadState* t) {
    if (is_locked(m)) locks::report_misuse(t, CONC_CALLER_PC, "destroy of a locked mutex", addr_of(m));
  });
  lock_destroyed(m);
  return real_pthread_mutex_destroy(m);
}

CONC_EXPORT int pthread_mutex_lock(pthread_mutex_t* m) noexcept {
  return blocking_lock(m, CONC_CALLER_PC, false, [&] { return real_pthread_mutex_lock(m); });
}

CONC_EXPORT int pthread_mutex_trylock(pthread_mutex_t* m) noexcept {
  int rc = real_pthread_mutex_trylock(m);
  if (lock_acquired(rc))
    locked(m, kTry, CONC_CALLER_PC, robust(m));
  else if (rc == EBUSY)
    lock_attempt_failed(m, CONC_CALLER_PC);
  return rc;
}

// A timed lock may block, so it orders locks like a plain one; its wait ends
// by itself, so it never makes a deadlock or a hang.
CONC_EXPORT int pthread_mutex_timedlock(pthread_mutex_t* m, const struct timespec* abstime) noexcept {
  return blocking_lock(m, CONC_CALLER_PC, true, [&] { return real_pthread_mutex_timedlock(m, abstime); });
}

CONC_EXPORT int pthread_mutex_clocklock(pthread_mutex_t* m, clockid_t clock,
                                        const struct timespec* abstime) noexcept {
  return blocking_lock(m, CONC_CALLER_PC, true,
                       [&] { return real_pthread_mutex_clocklock(m, clock, abstime); });
}

CONC_EXPORT int pthread_mutex_unlock(pthread_mutex_t* m) noexcept {
  misuse_check([&](engine::ThreadState* t) {
    if (!is_locked(m))
      locks::report_misuse(t, CONC_CALLER_PC, "unlock of an unlocked mutex", addr_of(m));
    else if (!robust(m) && owner_os_tid(m) != current_os_tid())  // a robust owner may be "inconsistent"
      locks::report_misuse(t, CONC_CALLER_PC, "unlock of a mutex held by another thread", addr_of(m));
  });
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

// Spinning is waiting too: recorded and timed like a mutex's blocking wait.
CONC_EXPORT int pthread_spin_lock(pthread_spinlock_t* s) noexcept {
  const engine::Pc pc = CONC_CALLER_PC;
  int* lock = const_cast<int*>(s);
  int rc = recording_thread() && locks::enabled() ? real_pthread_spin_trylock(s) : EBUSY;
  locks::Blocked blocked;
  if (rc == EBUSY) {
    locks::BlockScope block({.kind = engine::WaitKind::Lock, .object = addr_of(lock)}, pc);
    rc = real_pthread_spin_lock(s);
    blocked = block.blocked();
  }
  if (rc == 0) locked(lock, kBlocking, pc, false, blocked);
  return rc;
}

CONC_EXPORT int pthread_spin_trylock(pthread_spinlock_t* s) noexcept {
  int rc = real_pthread_spin_trylock(s);
  if (rc == 0)
    locked(const_cast<int*>(s), kTry, CONC_CALLER_PC);
  else if (rc == EBUSY)
    lock_attempt_failed(const_cast<int*>(s), CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT int pthread_spin_unlock(pthread_spinlock_t* s) noexcept {
  unlocking(const_cast<int*>(s), false, CONC_CALLER_PC);
  return real_pthread_spin_unlock(s);
}
