// The __tsan_* entry points for plain memory accesses (also checked against
// other processes for memory shared with them), the shadow call stack,
// vtable pointers, __tsan_init and thread-wide ignores. These are the hot
// path: one initial-exec TLS load decides whether anything is recorded, and
// the engine's inline fast path whether the engine is called at all.
#include <cstddef>
#include <cstdint>

#include "abi/runtime.h"
#include "engine/fast_path.h"
#include "interceptors/shared_memory.h"

namespace conc::rt {
namespace {

// Out of line: only accesses that change shadow (or race) get here.
__attribute__((noinline)) void record_slow(engine::ThreadState* t, uintptr_t a, size_t size, bool write,
                                           engine::Pc pc) {
  if (cross_process::watching()) cross_process::access(a, size, write, pc);
  AccessScope scope;
  if (write)
    g_engine->write(t, a, size, pc);
  else
    g_engine->read(t, a, size, pc);
}

// A thread without engine state: a fork child's (or one inside the runtime).
// Only accesses of memory shared with other processes are recorded.
__attribute__((noinline)) void record_unrecorded_thread(const void* addr, size_t size, bool write,
                                                        engine::Pc pc) {
  if (tls.in_runtime == 0) cross_process::access(reinterpret_cast<uintptr_t>(addr), size, write, pc);
}

// Accesses of the shapes the inline check leaves to Shadow::covered.
__attribute__((noinline)) void record_other_shape(engine::ThreadState* t, uintptr_t a, size_t size,
                                                  bool write, engine::Pc pc) {
  if (!engine::access_covered(*t, a, size, write)) record_slow(t, a, size, write, pc);
}

// Inlined into every entry point: an access this thread already recorded at
// its current epoch costs a TLS load and a look at one or two shadow lines.
// Every other way out is a tail call, so the entry point needs no frame.
__attribute__((always_inline)) inline void record(const void* addr, size_t size, bool write, engine::Pc pc) {
  engine::ThreadState* t = recording_thread();
  if (__builtin_expect(t == nullptr, 0)) {
    if (cross_process::watching()) record_unrecorded_thread(addr, size, write, pc);
    return;
  }
  const auto a = reinterpret_cast<uintptr_t>(addr);
  if (__builtin_expect(!engine::Shadow::home_shape(a, size), 0))
    return record_other_shape(t, a, size, write, pc);
  if (__builtin_expect(engine::access_covered_at_home(*t, a, size, write), 1)) return;
  record_slow(t, a, size, write, pc);
}

inline engine::Pc pc_of(const void* pc) { return reinterpret_cast<engine::Pc>(pc); }

__attribute__((noinline)) void func_entry_slow(engine::ThreadState* t, engine::Pc pc) {
  AccessScope scope;
  g_engine->func_entry(t, pc);
}

__attribute__((noinline)) void func_exit_slow(engine::ThreadState* t) {
  AccessScope scope;
  g_engine->func_exit(t);
}

}  // namespace
}  // namespace conc::rt

using conc::rt::pc_of;
using conc::rt::record;

// Every access size gets the aligned, unaligned, volatile (KCSAN-style
// -tsan-distinguish-volatile), compound read-write and explicit-PC forms.
// A compound read-modify-write is recorded as the write: it conflicts with
// everything the read would.
#define CONC_ACCESS_ENTRY_POINTS(N)                                                                    \
  CONC_EXPORT void __tsan_read##N(void* a) { record(a, N, false, CONC_CALLER_PC); }                    \
  CONC_EXPORT void __tsan_write##N(void* a) { record(a, N, true, CONC_CALLER_PC); }                    \
  CONC_EXPORT void __tsan_unaligned_read##N(void* a) { record(a, N, false, CONC_CALLER_PC); }          \
  CONC_EXPORT void __tsan_unaligned_write##N(void* a) { record(a, N, true, CONC_CALLER_PC); }          \
  CONC_EXPORT void __tsan_volatile_read##N(void* a) { record(a, N, false, CONC_CALLER_PC); }           \
  CONC_EXPORT void __tsan_volatile_write##N(void* a) { record(a, N, true, CONC_CALLER_PC); }           \
  CONC_EXPORT void __tsan_unaligned_volatile_read##N(void* a) { record(a, N, false, CONC_CALLER_PC); } \
  CONC_EXPORT void __tsan_unaligned_volatile_write##N(void* a) { record(a, N, true, CONC_CALLER_PC); } \
  CONC_EXPORT void __tsan_read_write##N(void* a) { record(a, N, true, CONC_CALLER_PC); }               \
  CONC_EXPORT void __tsan_unaligned_read_write##N(void* a) { record(a, N, true, CONC_CALLER_PC); }     \
  CONC_EXPORT void __tsan_read##N##_pc(void* a, void* pc) { record(a, N, false, pc_of(pc)); }          \
  CONC_EXPORT void __tsan_write##N##_pc(void* a, void* pc) { record(a, N, true, pc_of(pc)); }

CONC_ACCESS_ENTRY_POINTS(1)
CONC_ACCESS_ENTRY_POINTS(2)
CONC_ACCESS_ENTRY_POINTS(4)
CONC_ACCESS_ENTRY_POINTS(8)
CONC_ACCESS_ENTRY_POINTS(16)

// GCC's accesses of odd sizes, over 16 bytes, under-aligned or bit-fields.
CONC_EXPORT void __tsan_read_range(void* a, unsigned long size) { record(a, size, false, CONC_CALLER_PC); }
CONC_EXPORT void __tsan_write_range(void* a, unsigned long size) { record(a, size, true, CONC_CALLER_PC); }
CONC_EXPORT void __tsan_read_range_pc(void* a, unsigned long size, void* pc) {
  record(a, size, false, pc_of(pc));
}
CONC_EXPORT void __tsan_write_range_pc(void* a, unsigned long size, void* pc) {
  record(a, size, true, pc_of(pc));
}

// Stores to a vtable pointer race only when they change it (a constructor
// chain rewriting the same vptr is not a race).
CONC_EXPORT void __tsan_vptr_update(void** vptr, void* new_value) {
  if (*vptr != new_value) record(vptr, sizeof(void*), true, CONC_CALLER_PC);
}
CONC_EXPORT void __tsan_vptr_read(void** vptr) { record(vptr, sizeof(void*), false, CONC_CALLER_PC); }

// The inlined shadow stack push/pop never leave the runtime, so no
// reentrancy guard; starting a trace part copies the stack (memcpy, which
// the runtime intercepts), so it runs in the engine, in the runtime's scope.
CONC_EXPORT void __tsan_func_entry(void* caller_pc) {
  conc::engine::ThreadState* t = conc::rt::recording_thread();
  if (t && __builtin_expect(!conc::engine::func_entry(*t, pc_of(caller_pc)), 0))
    conc::rt::func_entry_slow(t, pc_of(caller_pc));
}

CONC_EXPORT void __tsan_func_exit() {
  conc::engine::ThreadState* t = conc::rt::recording_thread();
  if (t && __builtin_expect(!conc::engine::func_exit(*t), 0)) conc::rt::func_exit_slow(t);
}

// Called by every instrumented module's constructor (clang: priority 0, GCC:
// 99). libconcrt's own constructor normally initialized everything already.
CONC_EXPORT void __tsan_init() {
  conc::rt::note_instrumented();
  conc::rt::initialize();
}

CONC_EXPORT void __tsan_ignore_thread_begin() {
  if (conc::engine::ThreadState* t = conc::rt::recording_thread()) {
    conc::rt::AccessScope scope;
    conc::rt::g_engine->ignore_begin(t);
  }
}

CONC_EXPORT void __tsan_ignore_thread_end() {
  if (conc::engine::ThreadState* t = conc::rt::recording_thread()) {
    conc::rt::AccessScope scope;
    conc::rt::g_engine->ignore_end(t);
  }
}
