// What every interceptor file needs: the next definition of an intercepted
// function (libc's), resolved lazily with dlsym(RTLD_NEXT) and cached, and
// recording of memory ranges that libc functions touch.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "abi/runtime.h"

namespace conc::rt {

// dlsym(RTLD_NEXT, name); a missing libc function is fatal (message + abort).
void* resolve_next(const char* name);

template <typename Fn>
class Real;

// Constant-initialized, so usable from the first call, even before any
// constructor ran. Resolution races are benign: every thread stores the same
// pointer.
template <typename R, typename... A>
class Real<R(A...)> {
 public:
  using Fn = R (*)(A...);
  constexpr explicit Real(const char* name) : name_(name) {}
  R operator()(A... args) const { return get()(args...); }
  Fn get() const {
    Fn f = fn_.load(std::memory_order_relaxed);
    if (__builtin_expect(f == nullptr, 0)) {
      f = reinterpret_cast<Fn>(resolve_next(name_));
      fn_.store(f, std::memory_order_relaxed);
    }
    return f;
  }

 private:
  const char* name_;
  mutable std::atomic<Fn> fn_{nullptr};
};

// The Real of a declared function. Deduced through a function pointer
// conversion, which drops noexcept (glibc declares most functions noexcept
// in C++) and noreturn (part of the type for clang), so neither needs a
// Real of its own. Only declared: used in decltype.
template <typename R, typename... A>
Real<R(A...)> real_of(R (*)(A...));

// decltype(fn) carries glibc's nonnull/nothrow attributes, which a template
// argument drops; the function type itself is what matters here.
#pragma GCC diagnostic ignored "-Wignored-attributes"
#define CONC_REAL_TYPE(fn) decltype(::conc::rt::real_of(&(fn)))
#define CONC_REAL(fn) static const CONC_REAL_TYPE(fn) real_##fn(#fn)

// Resolves now the libc functions that free() needs (malloc.cpp); called at
// initialization, before any thread is recorded.
void resolve_allocator_functions();

// Registers the runtime's fork check as a pthread_atfork prepare handler
// (fork.cpp); called at initialization, before the program registers its own.
void register_fork_check();

// Records that a libc function read or wrote [addr, addr+size).
inline void record_range(const void* addr, size_t size, bool write, engine::Pc pc) {
  if (size == 0) return;
  engine::ThreadState* t = recording_thread();
  if (!t) return;
  AccessScope scope;
  auto a = reinterpret_cast<uintptr_t>(addr);
  if (write)
    g_engine->write(t, a, size, pc);
  else
    g_engine->read(t, a, size, pc);
}

inline uintptr_t addr_of(const volatile void* p) { return reinterpret_cast<uintptr_t>(p); }

}  // namespace conc::rt
