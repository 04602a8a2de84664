// The engine's hottest operations as inline functions, for the runtime's
// __tsan_readN/writeN and __tsan_func_entry/exit entry points to compile into
// themselves: no call into the engine unless something has to change.
// Behaviour is exactly that of the matching Engine methods (which use these).
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/shadow.h"
#include "engine/thread.h"

namespace conc::engine {

// The cell a plain access of this thread would store, without its byte mask.
__attribute__((always_inline)) inline uint64_t plain_cell(const ThreadState& thread, bool write) {
  return thread.cell_base | (write ? cell::kWrite : 0);
}

// access_covered for an access of Shadow::home_shape, looked for in the
// thread's home cells only.
__attribute__((always_inline)) inline bool access_covered_at_home(const ThreadState& thread, uintptr_t addr,
                                                                  size_t size, bool write) {
  return Shadow::covered_at_home(thread.shadow, addr, size, plain_cell(thread, write));
}

// True only when the plain access is already recorded at this thread's
// current epoch, so Engine::read/write would do nothing (false may still be
// such an access, one whose cell was moved out of its home plane: the engine
// then finds it without a lock). Holds whether or not the thread ignores
// accesses.
__attribute__((always_inline)) inline bool access_covered(const ThreadState& thread, uintptr_t addr,
                                                          size_t size, bool write) {
  if (__builtin_expect(Shadow::home_shape(addr, size), 1))
    return access_covered_at_home(thread, addr, size, write);
  return Shadow::covered(thread.shadow, addr, size, plain_cell(thread, write));
}

// The shadow stack push and pop, traced first (a part started by the event
// snapshots the stack the event applies to). False, with nothing done, when
// the thread's trace part is full: the caller then goes to Engine::func_entry
// or func_exit, which start the next part.
__attribute__((always_inline)) inline bool func_entry(ThreadState& thread, Pc return_pc) {
  if (!thread.trace.try_put(event::make(event::kEntry, return_pc & event::kPayload))) return false;
  thread.stack.push(return_pc);
  return true;
}
__attribute__((always_inline)) inline bool func_exit(ThreadState& thread) {
  if (!thread.trace.try_put(event::make(event::kExit, 0))) return false;
  thread.stack.pop();
  return true;
}

}  // namespace conc::engine
