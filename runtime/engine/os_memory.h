// Anonymous memory straight from the kernel for the engine's big tables
// (shadow, stack depot): zero-filled, NORESERVE, committed page by page on
// first touch, and never through malloc.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>

namespace conc::engine {

inline void* map_zeroed(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) abort();  // out of address space: nothing sensible left to do
  return p;
}

inline void unmap(void* p, size_t bytes) { munmap(p, bytes); }

}  // namespace conc::engine
