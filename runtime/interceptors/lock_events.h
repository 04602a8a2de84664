// Engine events shared by the mutex, rwlock, spinlock and condition variable
// interceptors. Each is a no-op for threads that are not recorded.
// Exclusive acquisitions of mutexes and rwlocks also keep the lock analyses'
// lock table (owner, where taken) up to date.
#pragma once

#include <cerrno>

#include "interceptors/lock_analyses.h"

namespace conc::rt {

// A lock call that returned this owns the lock (EOWNERDEAD: robust mutex
// whose owner died; the caller now holds it).
inline bool lock_acquired(int rc) { return rc == 0 || rc == EOWNERDEAD; }

inline void lock_created(const void* m, engine::Pc pc) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) { e.mutex_create(t, addr_of(m), pc); });
}
inline void lock_destroyed(const void* m) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) { e.mutex_destroy(t, addr_of(m)); });
}
inline void locked(const void* m, engine::LockFlags flags, engine::Pc pc, bool robust = false) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) {
    e.mutex_lock(t, addr_of(m), flags, pc);
    if (!flags.shared && locks::enabled())
      locks::lock_table().acquired(addr_of(m), e.tid(t), e.stack_handle(t, pc), robust);
  });
}
inline void unlocking(const void* m, bool shared, engine::Pc pc) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) {
    e.mutex_unlock(t, addr_of(m), shared, pc);
    if (!shared && locks::enabled()) locks::lock_table().released(addr_of(m), e.tid(t));
  });
}
inline void released(const void* sync) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) { e.release(t, addr_of(sync)); });
}
inline void acquired(const void* sync) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) { e.acquire(t, addr_of(sync)); });
}

constexpr engine::LockFlags kBlocking{};
constexpr engine::LockFlags kTry{.try_lock = true, .shared = false};

}  // namespace conc::rt
