// Engine events shared by the mutex, rwlock, spinlock and condition variable
// interceptors. Each is a no-op for threads that are not recorded.
// Acquisitions and releases also keep the lock analyses' lock table (owner,
// where taken, statistics) and the thread's back-off state up to date.
#pragma once

#include <cerrno>

#include "interceptors/lock_analyses.h"
#include "interceptors/shared_memory.h"

namespace conc::rt {

// A lock call that returned this owns the lock (EOWNERDEAD: robust mutex
// whose owner died; the caller now holds it).
inline bool lock_acquired(int rc) { return rc == 0 || rc == EOWNERDEAD; }

inline void lock_created(const void* m, engine::Pc pc) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) {
    e.mutex_create(t, addr_of(m), pc);
    if (locks::enabled()) locks::lock_table().created(addr_of(m), e.stack_handle(t, pc));
  });
}
inline void lock_destroyed(const void* m) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) {
    e.mutex_destroy(t, addr_of(m));
    if (locks::enabled()) locks::lock_table().destroyed(addr_of(m));
  });
}
// `blocked`: how long the thread waited for the lock (BlockScope::blocked()).
inline void locked(const void* m, engine::LockFlags flags, engine::Pc pc, bool robust = false,
                   locks::Blocked blocked = {}) {
  cross_process::acquired_object(m);
  with_thread([&](engine::Engine& e, engine::ThreadState* t) {
    e.mutex_lock(t, addr_of(m), flags, pc);
    if (locks::enabled()) locks::lock_acquired(t, addr_of(m), flags.shared, robust, blocked, pc);
  });
}
inline void unlocking(const void* m, bool shared, engine::Pc pc) {
  cross_process::released_object(m);
  with_thread([&](engine::Engine& e, engine::ThreadState* t) {
    e.mutex_unlock(t, addr_of(m), shared, pc);
    if (locks::enabled()) locks::lock_releasing(t, addr_of(m), shared);
  });
}
// A try-lock (or a timed lock) that did not get the lock: livelock evidence.
inline void lock_attempt_failed(const void* m, engine::Pc pc) {
  engine::ThreadState* t = recording_thread();
  if (!t || !locks::enabled()) return;
  RuntimeScope scope;
  locks::try_lock_failed(t, addr_of(m), pc);
}
inline void released(const void* sync) {
  cross_process::released_object(sync);
  with_thread([&](engine::Engine& e, engine::ThreadState* t) { e.release(t, addr_of(sync)); });
}
inline void acquired(const void* sync) {
  cross_process::acquired_object(sync);
  with_thread([&](engine::Engine& e, engine::ThreadState* t) { e.acquire(t, addr_of(sync)); });
}

constexpr engine::LockFlags kBlocking{};
constexpr engine::LockFlags kTry{.try_lock = true, .shared = false};

}  // namespace conc::rt
