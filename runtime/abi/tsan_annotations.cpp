// Annotations that libraries call when built for ThreadSanitizer: explicit
// happens-before (__tsan_acquire/release), custom mutexes (__tsan_mutex_*,
// used e.g. by Abseil), fibers, accesses of external (non-instrumented)
// objects, the start/end hooks, and the legacy dynamic annotations
// (Annotate*), including benign-race ranges.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "abi/runtime.h"
#include "abi/spin_lock.h"
#include "interceptors/lock_analyses.h"
#include "reports/thread_table.h"

namespace conc::rt {
namespace {

// Ranges the program declared racy on purpose. Few and rarely changed, and
// searched only when a race is about to be reported: a vector under a lock.
struct BenignRange {
  uintptr_t begin;
  uintptr_t end;
};
SpinLock g_benign_lock;
std::vector<BenignRange>* g_benign_ranges = nullptr;  // created at the first annotation
std::atomic<bool> g_any_benign{false};

void add_benign_range(const volatile void* mem, size_t size) {
  if (size == 0) return;
  RuntimeScope scope;  // the vector allocates
  std::lock_guard<SpinLock> lock(g_benign_lock);
  if (!g_benign_ranges) g_benign_ranges = new std::vector<BenignRange>;
  const auto begin = reinterpret_cast<uintptr_t>(mem);
  g_benign_ranges->push_back({begin, begin + size});
  g_any_benign.store(true, std::memory_order_release);
}

// Flags of __tsan_mutex_* (sanitizer/tsan_interface.h).
constexpr unsigned kMutexReadLock = 1u << 3;
constexpr unsigned kMutexTryLock = 1u << 4;
constexpr unsigned kMutexTryLockFailed = 1u << 5;

uintptr_t addr(const volatile void* p) { return reinterpret_cast<uintptr_t>(p); }

void acquire(const volatile void* p) {
  with_thread([&](engine::Engine& e, auto* t) { e.acquire(t, addr(p)); });
}
void release(const volatile void* p) {
  with_thread([&](engine::Engine& e, auto* t) { e.release(t, addr(p)); });
}
void ignore_begin() {
  with_thread([](engine::Engine& e, auto* t) { e.ignore_begin(t); });
}
void ignore_end() {
  with_thread([](engine::Engine& e, auto* t) { e.ignore_end(t); });
}

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

// Flag of __tsan_switch_to_fiber: switch without happens-before.
constexpr unsigned kFiberSwitchNoSync = 1u << 0;

// Tags of __tsan_external_*: reports do not name the object type, so a tag
// only has to be a distinct non-null value.
std::atomic<uintptr_t> g_last_external_tag{0};

// As ThreadSanitizer: caller_pc becomes a frame, pc (in the library that
// annotates) the access.
void external_access(void* object, void* caller_pc, engine::Pc pc, bool write) {
  with_thread([&](engine::Engine& e, auto* t) {
    e.func_entry(t, reinterpret_cast<engine::Pc>(caller_pc));
    if (write)
      e.write(t, addr(object), 1, pc);
    else
      e.read(t, addr(object), 1, pc);
    e.func_exit(t);
  });
}

}  // namespace

bool benign_race(uintptr_t addr, size_t size) {
  if (!g_any_benign.load(std::memory_order_acquire)) return false;
  std::lock_guard<SpinLock> lock(g_benign_lock);
  return std::any_of(g_benign_ranges->begin(), g_benign_ranges->end(),
                     [&](const BenignRange& r) { return addr < r.end && r.begin < addr + size; });
}

void forget_benign_races(uintptr_t addr, size_t size) {
  if (!g_any_benign.load(std::memory_order_acquire)) return;
  std::lock_guard<SpinLock> lock(g_benign_lock);
  std::erase_if(*g_benign_ranges,
                [&](const BenignRange& r) { return r.begin >= addr && r.end <= addr + size; });
}

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
CONC_EXPORT void AnnotateRWLockCreate(const char*, int, const volatile void* m) {
  mutex_create(m, CONC_CALLER_PC);
}
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
CONC_EXPORT void AnnotateBenignRaceSized(const char*, int, const volatile void* mem, size_t size,
                                         const char*) {
  add_benign_range(mem, size);
}
CONC_EXPORT void AnnotateBenignRace(const char*, int, const volatile void* mem, const char*) {
  add_benign_range(mem, 1);
}
// WebKit's (WTF) spelling of the same annotations.
CONC_EXPORT void WTFAnnotateBenignRaceSized(const char*, int, const volatile void* mem, size_t size,
                                            const char*) {
  add_benign_range(mem, size);
}
CONC_EXPORT void WTFAnnotateHappensBefore(const char*, int, const volatile void* cv) { release(cv); }
CONC_EXPORT void WTFAnnotateHappensAfter(const char*, int, const volatile void* cv) { acquire(cv); }
// Condition variables and producer/consumer queues the tools cannot see.
CONC_EXPORT void AnnotateCondVarSignal(const char*, int, const volatile void* cv) { release(cv); }
CONC_EXPORT void AnnotateCondVarSignalAll(const char*, int, const volatile void* cv) { release(cv); }
CONC_EXPORT void AnnotateCondVarWait(const char*, int, const volatile void* cv, const volatile void*) {
  acquire(cv);
}
CONC_EXPORT void AnnotatePCQPut(const char*, int, const volatile void* queue) { release(queue); }
CONC_EXPORT void AnnotatePCQGet(const char*, int, const volatile void* queue) { acquire(queue); }
// Memory from a custom allocator: its earlier history is not the new object's.
CONC_EXPORT void AnnotateNewMemory(const char*, int, const volatile void* mem, size_t size) {
  with_thread([&](engine::Engine& e, auto*) { e.forget_memory(addr(mem), size); });
}

// A place where no lock may be held (e.g. a callback that may block):
// ThreadSanitizer reports "mutex held in the wrong context"; conc reports
// it as mutex misuse on the first lock the thread holds.
CONC_EXPORT void __tsan_check_no_mutexes_held() {
  const engine::Pc pc = CONC_CALLER_PC;
  with_thread([&](engine::Engine& e, engine::ThreadState* t) {
    if (!locks::enabled()) return;
    const engine::Tid self = e.tid(t);
    for (const engine::LockHold& h : locks::lock_table().all_held())
      if (h.owner == self) {
        locks::report_misuse(t, pc, "mutex held in the wrong context", h.lock);
        return;
      }
  });
}

// Fibers (user-level context switches): each fiber is a thread of its own
// for the engine, and the OS thread runs as whichever fiber it switched to.
CONC_EXPORT void* __tsan_get_current_fiber() { return tls.state; }
CONC_EXPORT void* __tsan_create_fiber(unsigned) {
  engine::ThreadState* fiber = nullptr;
  const engine::Pc pc = CONC_CALLER_PC;
  with_thread([&](engine::Engine& e, engine::ThreadState* t) {
    fiber = e.thread_create(t, pc);
    e.thread_start(fiber);
    thread_table().started(e.tid(fiber), current_os_tid());
  });
  return fiber;
}
CONC_EXPORT void __tsan_destroy_fiber(void* fiber) {
  if (!fiber) return;
  with_thread([&](engine::Engine& e, auto*) {
    auto* state = static_cast<engine::ThreadState*>(fiber);
    const engine::Tid tid = e.tid(state);
    e.thread_finish(state);
    e.thread_detach(state);
    thread_table().finished(tid);
  });
}
CONC_EXPORT void __tsan_switch_to_fiber(void* fiber, unsigned flags) {
  if (!fiber) return;
  with_thread([&](engine::Engine& e, engine::ThreadState* t) {
    auto* next = static_cast<engine::ThreadState*>(fiber);
    if (!(flags & kFiberSwitchNoSync)) e.release(t, addr(fiber));
    tls.state = next;
    if (!(flags & kFiberSwitchNoSync)) e.acquire(next, addr(fiber));
  });
}
// Reports name threads by id only, so a fiber's name is not shown.
CONC_EXPORT void __tsan_set_fiber_name(void*, const char*) {}

// Accesses of objects whose code is not instrumented (e.g. Swift or a C
// library's handle), made on the caller's behalf at caller_pc.
CONC_EXPORT void* __tsan_external_register_tag(const char*) {
  // NOLINTNEXTLINE(performance-no-int-to-ptr): the ABI's tags are opaque pointers, never dereferenced
  return reinterpret_cast<void*>(g_last_external_tag.fetch_add(1, std::memory_order_relaxed) + 1);
}
CONC_EXPORT void __tsan_external_register_header(void*, const char*) {}
CONC_EXPORT void __tsan_external_assign_tag(void*, void*) {}
CONC_EXPORT void __tsan_external_read(void* object, void* caller_pc, void*) {
  external_access(object, caller_pc, CONC_CALLER_PC, false);
}
CONC_EXPORT void __tsan_external_write(void* object, void* caller_pc, void*) {
  external_access(object, caller_pc, CONC_CALLER_PC, true);
}

// conc keeps no shadow it could drop without losing race history.
CONC_EXPORT void __tsan_flush_memory() {}
