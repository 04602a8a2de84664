// Annotations that libraries call when built for ThreadSanitizer: explicit
// happens-before (__tsan_acquire/release), custom mutexes (__tsan_mutex_*,
// used e.g. by Abseil), and the legacy dynamic annotations (Annotate*).
#include <cstdint>

#include "abi/runtime.h"

namespace conc::rt {
namespace {

// Flags of __tsan_mutex_* (sanitizer/tsan_interface.h).
constexpr unsigned kMutexReadLock = 1u << 3;
constexpr unsigned kMutexTryLock = 1u << 4;
constexpr unsigned kMutexTryLockFailed = 1u << 5;

uintptr_t addr(const volatile void* p) { return reinterpret_cast<uintptr_t>(p); }

void acquire(const volatile void* p) { with_thread([&](engine::Engine& e, auto* t) { e.acquire(t, addr(p)); }); }
void release(const volatile void* p) { with_thread([&](engine::Engine& e, auto* t) { e.release(t, addr(p)); }); }
void ignore_begin() { with_thread([](engine::Engine& e, auto* t) { e.ignore_begin(t); }); }
void ignore_end() { with_thread([](engine::Engine& e, auto* t) { e.ignore_end(t); }); }

void mutex_create(const volatile void* m, engine::Pc pc) {
  with_thread([&](engine::Engine& e, auto* t) { e.mutex_create(t, addr(m), pc); });
}
void mutex_destroy(const volatile void* m) {
  with_thread([&](engine::Engine& e, auto* t) { e.mutex_destroy(t, addr(m)); });
}
void mutex_lock(const volatile void* m, engine::LockFlags flags, engine::Pc pc) {
  with_thread([&](engine::Engine& e, auto* t) { e.mutex_lock(t, addr(m), flags, pc); });
}
void mutex_unlock(const volatile void* m, bool shared, engine::Pc pc) {
  with_thread([&](engine::Engine& e, auto* t) { e.mutex_unlock(t, addr(m), shared, pc); });
}

}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT void __tsan_acquire(void* addr) { acquire(addr); }
CONC_EXPORT void __tsan_release(void* addr) { release(addr); }

CONC_EXPORT void __tsan_mutex_create(void* m, unsigned) { mutex_create(m, CONC_CALLER_PC); }
CONC_EXPORT void __tsan_mutex_destroy(void* m, unsigned) { mutex_destroy(m); }

// The lock implementation's own memory accesses between pre_ and post_ are
// not the program's: they are ignored, as ThreadSanitizer does. pre_divert /
// post_divert bracket user code called from inside (e.g. a condition check)
// and lift the ignore for it.
CONC_EXPORT void __tsan_mutex_pre_lock(void*, unsigned) { ignore_begin(); }
CONC_EXPORT void __tsan_mutex_post_lock(void* m, unsigned flags, int) {
  ignore_end();
  if (flags & kMutexTryLockFailed) return;
  mutex_lock(m, {.try_lock = (flags & kMutexTryLock) != 0, .shared = (flags & kMutexReadLock) != 0},
             CONC_CALLER_PC);
}
CONC_EXPORT int __tsan_mutex_pre_unlock(void* m, unsigned flags) {
  mutex_unlock(m, (flags & kMutexReadLock) != 0, CONC_CALLER_PC);
  ignore_begin();
  return 0;  // recursion depth: recursive mutexes are unlocked one level at a time
}
CONC_EXPORT void __tsan_mutex_post_unlock(void*, unsigned) { ignore_end(); }
CONC_EXPORT void __tsan_mutex_pre_signal(void*, unsigned) { ignore_begin(); }
CONC_EXPORT void __tsan_mutex_post_signal(void*, unsigned) { ignore_end(); }
CONC_EXPORT void __tsan_mutex_pre_divert(void*, unsigned) { ignore_end(); }
CONC_EXPORT void __tsan_mutex_post_divert(void*, unsigned) { ignore_begin(); }

// Legacy dynamic annotations (valgrind/dynamic_annotations.h).
CONC_EXPORT void AnnotateHappensBefore(const char*, int, const volatile void* cv) { release(cv); }
CONC_EXPORT void AnnotateHappensAfter(const char*, int, const volatile void* cv) { acquire(cv); }
CONC_EXPORT void AnnotateRWLockCreate(const char*, int, const volatile void* m) { mutex_create(m, CONC_CALLER_PC); }
CONC_EXPORT void AnnotateRWLockDestroy(const char*, int, const volatile void* m) { mutex_destroy(m); }
CONC_EXPORT void AnnotateRWLockAcquired(const char*, int, const volatile void* m, long is_writer) {
  mutex_lock(m, {.try_lock = false, .shared = is_writer == 0}, CONC_CALLER_PC);
}
CONC_EXPORT void AnnotateRWLockReleased(const char*, int, const volatile void* m, long is_writer) {
  mutex_unlock(m, is_writer == 0, CONC_CALLER_PC);
}
// Reads-only and writes-only ignores both ignore all plain accesses of the
// thread, exactly like ThreadSanitizer's implementation of them.
CONC_EXPORT void AnnotateIgnoreReadsBegin(const char*, int) { ignore_begin(); }
CONC_EXPORT void AnnotateIgnoreReadsEnd(const char*, int) { ignore_end(); }
CONC_EXPORT void AnnotateIgnoreWritesBegin(const char*, int) { ignore_begin(); }
CONC_EXPORT void AnnotateIgnoreWritesEnd(const char*, int) { ignore_end(); }
CONC_EXPORT int RunningOnValgrind() { return 0; }
