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

// glibc declares most functions noexcept in C++.
template <typename R, typename... A>
class Real<R(A...) noexcept> : public Real<R(A...)> {
 public:
  using Real<R(A...)>::Real;
};

// decltype(fn) carries glibc's nonnull/nothrow attributes, which a template
// argument drops; the function type itself is what matters here.
#pragma GCC diagnostic ignored "-Wignored-attributes"
#define CONC_REAL(fn) static const ::conc::rt::Real<decltype(fn)> real_##fn(#fn)

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
