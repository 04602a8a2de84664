// The malloc family. Allocation goes straight to glibc's __libc_* functions,
// so no dlsym is needed (dlsym itself calls calloc) and everything works
// before initialization. The engine learns each block (for heap locations in
// reports, and to forget a freed block's history) unless the caller is the
// runtime itself. operator new/delete in libstdc++ call these.
#include <malloc.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>

#include "interceptors/lock_analyses.h"

extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void __libc_free(void* p);
void* __libc_memalign(size_t alignment, size_t size);
void* __libc_valloc(size_t size);
void* __libc_pvalloc(size_t size);
}

namespace conc::rt {
namespace {

CONC_REAL(posix_memalign);
CONC_REAL(aligned_alloc);
CONC_REAL(malloc_usable_size);

void* allocated(void* p, size_t size, engine::Pc pc) {
  if (p) with_thread([&](engine::Engine& e, engine::ThreadState* t) { e.alloc(t, addr_of(p), size, pc); });
  return p;
}

// Runs a glibc allocator function inside the runtime's guard: glibc holds
// its arena lock meanwhile, and a signal handler running then could reach the
// engine, which allocates too. Signals wait until the call returned
// (signal.cpp); nothing inside glibc's allocator is recorded anyway.
template <typename R, typename... Params, typename... Args>
R libc(R (*fn)(Params...), Args... args) {
  AccessScope scope;
  return fn(args...);
}

// Before the block goes back to glibc, so a concurrent malloc reusing it
// cannot have its fresh block forgotten.
// A lock still held inside the block is reported (lock analyses); benign-race
// annotations inside it end.
void freeing(void* p, engine::Pc pc) {
  if (p)
    with_thread([&](engine::Engine& e, engine::ThreadState* t) {
      const size_t size = real_malloc_usable_size(p);
      if (locks::enabled()) locks::memory_freed(t, addr_of(p), size, pc);
      forget_benign_races(addr_of(p), size);
      e.free(t, addr_of(p), pc);
    });
}

}  // namespace

// free needs malloc_usable_size; resolving it lazily there could run dlsym
// inside dlsym (dlerror frees its message with free) and corrupt glibc's state.
void resolve_allocator_functions() { real_malloc_usable_size.get(); }

}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT void* malloc(size_t size) noexcept {
  return allocated(libc(__libc_malloc, size), size, CONC_CALLER_PC);
}

CONC_EXPORT void* calloc(size_t count, size_t size) noexcept {
  // __libc_calloc fails on overflow, so the product is only used for a block.
  return allocated(libc(__libc_calloc, count, size), count * size, CONC_CALLER_PC);
}

CONC_EXPORT void free(void* p) noexcept {
  freeing(p, CONC_CALLER_PC);
  libc(__libc_free, p);
}

// A new block, a copy and a free, not glibc's realloc: an in-place realloc
// would leave no moment where the engine could retire the old block without
// racing with another thread's malloc of the same address.
CONC_EXPORT void* realloc(void* p, size_t size) noexcept {
  engine::Pc pc = CONC_CALLER_PC;
  if (!p) return allocated(libc(__libc_malloc, size), size, pc);
  if (size == 0) {  // glibc frees and returns NULL
    freeing(p, pc);
    libc(__libc_free, p);
    return nullptr;
  }
  void* fresh = libc(__libc_malloc, size);
  if (!fresh) return nullptr;  // the old block stays valid, as realloc promises
  size_t old_size = real_malloc_usable_size(p);
  size_t kept = old_size < size ? old_size : size;
  record_range(p, kept, false, pc);
  {
    AccessScope copying;  // the copy is this realloc's, not a memcpy of the program's
    memcpy(fresh, p, kept);
  }
  freeing(p, pc);
  libc(__libc_free, p);
  return allocated(fresh, size, pc);
}

CONC_EXPORT void* reallocarray(void* p, size_t count, size_t size) noexcept {
  size_t total;
  if (__builtin_mul_overflow(count, size, &total)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(p, total);
}

CONC_EXPORT int posix_memalign(void** out, size_t alignment, size_t size) noexcept {
  int rc = libc(real_posix_memalign.get(), out, alignment, size);
  if (rc == 0) allocated(*out, size, CONC_CALLER_PC);
  return rc;
}

CONC_EXPORT void* aligned_alloc(size_t alignment, size_t size) noexcept {
  return allocated(libc(real_aligned_alloc.get(), alignment, size), size, CONC_CALLER_PC);
}

CONC_EXPORT void* memalign(size_t alignment, size_t size) noexcept {
  return allocated(libc(__libc_memalign, alignment, size), size, CONC_CALLER_PC);
}

CONC_EXPORT void* valloc(size_t size) noexcept {
  return allocated(libc(__libc_valloc, size), size, CONC_CALLER_PC);
}

CONC_EXPORT void* pvalloc(size_t size) noexcept {
  return allocated(libc(__libc_pvalloc, size), size, CONC_CALLER_PC);
}

CONC_EXPORT size_t malloc_usable_size(void* p) noexcept { return real_malloc_usable_size(p); }
