// Engine events shared by the mutex, rwlock, spinlock and condition variable
// interceptors. Each is a no-op for threads that are not recorded.
#pragma once

#include <cerrno>

#include "interceptors/interceptor.h"

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
inline void locked(const void* m, engine::LockFlags flags, engine::Pc pc) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) { e.mutex_lock(t, addr_of(m), flags, pc); });
}
inline void unlocking(const void* m, bool shared, engine::Pc pc) {
  with_thread([&](engine::Engine& e, engine::ThreadState* t) { e.mutex_unlock(t, addr_of(m), shared, pc); });
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
