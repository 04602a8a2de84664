// The __tsan_atomicN_* entry points: each really performs the atomic
// operation, bracketed by the engine so the happens-before its memory order
// implies is recorded at the right moment. 8..64-bit operations use the
// __atomic builtins; 128-bit ones are compare-and-swap loops on cmpxchg16b
// (this file is built with -mcx16, which inlines __sync on 16 bytes and so
// needs no libatomic). Everything runs seq_cst: never weaker than asked.
#include <cstddef>
#include <cstdint>

#include "abi/runtime.h"
#include "interceptors/shared_memory.h"

namespace conc::rt {
namespace {

using engine::AtomicKind;
using engine::MemoryOrder;
using u128 = unsigned __int128;

// GCC adds HLE and __sync marker bits above the order; the ABI says mask them.
MemoryOrder order(int mo) {
  mo &= 0x7fff;
  return mo <= static_cast<int>(MemoryOrder::SeqCst) ? static_cast<MemoryOrder>(mo) : MemoryOrder::SeqCst;
}

template <typename U>
struct SignedOf;
template <>
struct SignedOf<uint8_t> {
  using type = int8_t;
};
template <>
struct SignedOf<uint16_t> {
  using type = int16_t;
};
template <>
struct SignedOf<uint32_t> {
  using type = int32_t;
};
template <>
struct SignedOf<uint64_t> {
  using type = int64_t;
};
template <>
struct SignedOf<u128> {
  using type = __int128;
};

template <typename U>
U raw_cas(volatile U* a, U expected, U desired) {
  if constexpr (sizeof(U) == 16) {
    return __sync_val_compare_and_swap(a, expected, desired);
  } else {
    __atomic_compare_exchange_n(a, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected;
  }
}

template <typename U>
U raw_load(const volatile U* a) {
  if constexpr (sizeof(U) == 16)
    return raw_cas(const_cast<volatile U*>(a), U(0), U(0));
  else
    return __atomic_load_n(a, __ATOMIC_SEQ_CST);
}

template <typename U, typename F>
U cas_loop(volatile U* a, F next) {
  U old = raw_load(a);
  for (;;) {
    U seen = raw_cas(a, old, next(old));
    if (seen == old) return old;
    old = seen;
  }
}

template <typename U>
void raw_store(volatile U* a, U v) {
  if constexpr (sizeof(U) == 16)
    cas_loop(a, [v](U) { return v; });
  else
    __atomic_store_n(a, v, __ATOMIC_SEQ_CST);
}

enum class Rmw { Exchange, Add, Sub, And, Or, Xor, Nand, Max, Min, UMax, UMin };

template <Rmw op, typename U>
U combine(U x, U v) {
  using S = typename SignedOf<U>::type;
  switch (op) {
    case Rmw::Exchange:
      return v;
    case Rmw::Add:
      return x + v;
    case Rmw::Sub:
      return x - v;
    case Rmw::And:
      return x & v;
    case Rmw::Or:
      return x | v;
    case Rmw::Xor:
      return x ^ v;
    case Rmw::Nand:
      return ~(x & v);
    case Rmw::Max:
      return static_cast<S>(x) > static_cast<S>(v) ? x : v;
    case Rmw::Min:
      return static_cast<S>(x) < static_cast<S>(v) ? x : v;
    case Rmw::UMax:
      return x > v ? x : v;
    case Rmw::UMin:
      return x < v ? x : v;
  }
  return v;
}

// Returns the previous value.
template <Rmw op, typename U>
U raw_fetch(volatile U* a, U v) {
  if constexpr (sizeof(U) <= 8) {
    switch (op) {
      case Rmw::Exchange:
        return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);
      case Rmw::Add:
        return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST);
      case Rmw::Sub:
        return __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST);
      case Rmw::And:
        return __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST);
      case Rmw::Or:
        return __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST);
      case Rmw::Xor:
        return __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST);
      case Rmw::Nand:
        return __atomic_fetch_nand(a, v, __ATOMIC_SEQ_CST);
      default:
        break;  // min/max have no builtin: CAS loop below
    }
  }
  return cas_loop(a, [v](U x) { return combine<op>(x, v); });
}

// Runs `op` inside the engine's bracket when this thread is recorded.
template <typename Op>
auto bracket(const volatile void* a, size_t size, AtomicKind kind, int mo, engine::Pc pc, Op&& op) {
  const cross_process::OrderedAtomic across_processes(a);
  engine::ThreadState* t = recording_thread();
  if (!t) return op();
  AccessScope scope;
  return g_engine->atomic(t, reinterpret_cast<uintptr_t>(a), size, kind, order(mo), pc, op);
}

template <typename U>
U load(const volatile U* a, int mo, engine::Pc pc) {
  return bracket(a, sizeof(U), AtomicKind::Load, mo, pc, [a] { return raw_load(a); });
}

template <typename U>
void store(volatile U* a, U v, int mo, engine::Pc pc) {
  bracket(a, sizeof(U), AtomicKind::Store, mo, pc, [a, v] {
    raw_store(a, v);
    return true;
  });
}

template <Rmw op, typename U>
U fetch(volatile U* a, U v, int mo, engine::Pc pc) {
  return bracket(a, sizeof(U), AtomicKind::ReadModifyWrite, mo, pc, [a, v] { return raw_fetch<op>(a, v); });
}

// Strong compare-exchange returning the value seen. The engine records a
// success as a read-modify-write with order `mo`, a failure as a load with
// order `fail_mo`.
template <typename U>
U compare_exchange(volatile U* a, U expected, U desired, int mo, int fail_mo, engine::Pc pc) {
  const cross_process::OrderedAtomic across_processes(a);
  engine::ThreadState* t = recording_thread();
  if (!t) return raw_cas(a, expected, desired);
  AccessScope scope;
  U seen;
  g_engine->atomic_compare_exchange(t, reinterpret_cast<uintptr_t>(a), sizeof(U), order(mo), order(fail_mo),
                                    pc, [&] {
                                      seen = raw_cas(a, expected, desired);
                                      return seen == expected;
                                    });
  return seen;
}

// GCC's form: success flag, the value seen written back on failure.
template <typename U, typename T>
int compare_exchange_flag(volatile T* a, T* expected, T desired, int mo, int fail_mo, engine::Pc pc) {
  U want = static_cast<U>(*expected);
  U seen = compare_exchange(reinterpret_cast<volatile U*>(a), want, static_cast<U>(desired), mo, fail_mo, pc);
  if (seen == want) return 1;
  *expected = static_cast<T>(seen);
  return 0;
}

}  // namespace
}  // namespace conc::rt

// T is the ABI's type (tsan_interface_atomic.h), U its unsigned twin that the
// operations above work on. T and U are types (parameter types, cast
// targets), BITS and NAME are pasted into names and OP ends a qualified name:
// none can be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CONC_ATOMIC_FETCH(BITS, T, U, NAME, OP)                                                       \
  CONC_EXPORT T __tsan_atomic##BITS##_##NAME(volatile T* a, T v, int mo) {                            \
    return static_cast<T>(conc::rt::fetch<conc::rt::Rmw::OP>(reinterpret_cast<volatile U*>(a),        \
                                                             static_cast<U>(v), mo, CONC_CALLER_PC)); \
  }

#define CONC_ATOMIC_ENTRY_POINTS(BITS, T, U)                                                                 \
  CONC_EXPORT T __tsan_atomic##BITS##_load(const volatile T* a, int mo) {                                    \
    return static_cast<T>(conc::rt::load(reinterpret_cast<const volatile U*>(a), mo, CONC_CALLER_PC));       \
  }                                                                                                          \
  CONC_EXPORT void __tsan_atomic##BITS##_store(volatile T* a, T v, int mo) {                                 \
    conc::rt::store(reinterpret_cast<volatile U*>(a), static_cast<U>(v), mo, CONC_CALLER_PC);                \
  }                                                                                                          \
  CONC_ATOMIC_FETCH(BITS, T, U, exchange, Exchange)                                                          \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_add, Add)                                                              \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_sub, Sub)                                                              \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_and, And)                                                              \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_or, Or)                                                                \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_xor, Xor)                                                              \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_nand, Nand)                                                            \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_max, Max)                                                              \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_min, Min)                                                              \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_umax, UMax)                                                            \
  CONC_ATOMIC_FETCH(BITS, T, U, fetch_umin, UMin)                                                            \
  CONC_EXPORT T __tsan_atomic##BITS##_compare_exchange_val(volatile T* a, T expected, T desired, int mo,     \
                                                           int fail_mo) {                                    \
    return static_cast<T>(conc::rt::compare_exchange(reinterpret_cast<volatile U*>(a),                       \
                                                     static_cast<U>(expected), static_cast<U>(desired), mo,  \
                                                     fail_mo, CONC_CALLER_PC));                              \
  }                                                                                                          \
  CONC_EXPORT int __tsan_atomic##BITS##_compare_exchange_strong(volatile T* a, T* expected, T desired,       \
                                                                int mo, int fail_mo) {                       \
    return conc::rt::compare_exchange_flag<U>(a, expected, desired, mo, fail_mo, CONC_CALLER_PC);            \
  }                                                                                                          \
  /* A strong compare-exchange is a valid weak one (it just never fails spuriously). */                      \
  CONC_EXPORT int __tsan_atomic##BITS##_compare_exchange_weak(volatile T* a, T* expected, T desired, int mo, \
                                                              int fail_mo) {                                 \
    return conc::rt::compare_exchange_flag<U>(a, expected, desired, mo, fail_mo, CONC_CALLER_PC);            \
  }
// NOLINTEND(bugprone-macro-parentheses)

CONC_ATOMIC_ENTRY_POINTS(8, char, uint8_t)
CONC_ATOMIC_ENTRY_POINTS(16, short, uint16_t)
CONC_ATOMIC_ENTRY_POINTS(32, int, uint32_t)
CONC_ATOMIC_ENTRY_POINTS(64, long, uint64_t)
CONC_ATOMIC_ENTRY_POINTS(128, __int128, conc::rt::u128)

CONC_EXPORT void __tsan_atomic_thread_fence(int mo) {
  if (conc::engine::ThreadState* t = conc::rt::recording_thread()) {
    conc::rt::AccessScope scope;
    conc::rt::g_engine->fence(t, conc::rt::order(mo));
  }
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

// A signal fence orders only against this thread's own signal handlers: a
// compiler barrier, nothing for the detector.
CONC_EXPORT void __tsan_atomic_signal_fence(int) { __atomic_signal_fence(__ATOMIC_SEQ_CST); }
