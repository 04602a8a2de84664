// Function-local statics. Both compilers check the guard inline with an
// acquire load (instrumented: __tsan_atomic8_load) and call
// __cxa_guard_acquire only while it is not set; libstdc++.so (not
// instrumented) sets it in __cxa_guard_release. So the thread that finished
// the initialization releases on the guard's address before it is set, and a
// thread that learns from __cxa_guard_acquire that another one finished
// acquires it (the inline fast path acquires through the atomic load).
// __cxa_guard_abort orders nothing (the next thread initializes again) and
// is left to libstdc++.
#include <cstdint>

#include "interceptors/lock_events.h"

namespace conc::rt {
namespace {
const Real<int(int64_t*)> real_guard_acquire("__cxa_guard_acquire");
const Real<void(int64_t*)> real_guard_release("__cxa_guard_release");
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

// 1: the caller initializes; 0: the object is ready.
CONC_EXPORT int __cxa_guard_acquire(int64_t* guard) {
  int rc = real_guard_acquire(guard);
  if (rc == 0) acquired(guard);
  return rc;
}

CONC_EXPORT void __cxa_guard_release(int64_t* guard) noexcept {
  released(guard);
  real_guard_release(guard);
}
