// Races between processes on shared memory (hazard row 9): MAP_SHARED
// mappings a process makes before it forks are the same memory at the same
// address in its children. The runtime keeps, in memory it shares the same
// way, a per-process vector clock and the last write and read of every 8-byte
// granule of such mappings, and reports accesses of two processes that no
// modelled synchronization orders. Design and limits: docs/runtime.md,
// "Races between processes".
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "engine/engine.h"

namespace conc::rt::cross_process {

// Set once this process has shared mappings and a fork made another process
// share them: accesses before that cannot race with another process (a
// child starts after everything its parent did). The hot path's only cost
// while it is unset: one relaxed load.
extern std::atomic<bool> g_watching;
inline bool watching() { return g_watching.load(std::memory_order_relaxed); }

// A plain access of the program (any process of the family).
void access(uintptr_t addr, size_t size, bool write, engine::Pc pc);

// Synchronization that may order processes: a lock, semaphore or atomic
// object inside a watched mapping, or a message through a descriptor. Every
// such release is joined into one family-wide clock that every such acquire
// takes, which over-approximates the real order (it can hide a race, never
// invent one).
void release(uintptr_t object);
void acquire(uintptr_t object);
void message_sent();
void message_received();
// The interceptors' form: a no-op unless this process watches shared memory.
inline void released_object(const volatile void* object) {
  if (watching()) release(reinterpret_cast<uintptr_t>(object));
}
inline void acquired_object(const volatile void* object) {
  if (watching()) acquire(reinterpret_cast<uintptr_t>(object));
}
// Brackets an atomic operation: a release before it and an acquire after it
// when its object lies in watched shared memory, whatever its memory order.
class OrderedAtomic {
 public:
  explicit OrderedAtomic(const volatile void* object) : object_(object) { released_object(object_); }
  ~OrderedAtomic() { acquired_object(object_); }
  OrderedAtomic(const OrderedAtomic&) = delete;
  OrderedAtomic& operator=(const OrderedAtomic&) = delete;

 private:
  const volatile void* object_;
};

// fork: the child continues the parent's clock; the parent's later accesses
// are not ordered before the child's.
void before_fork();
void after_fork_in_child();
// A child was reaped (wait*): everything it did is ordered before the caller.
void reaped(pid_t child);
// The process with detection on prints the races any process of the family
// found (a fork child runs without detection and cannot print): those it
// finds itself at once, the others at its exit.
void print_pending_reports();

}  // namespace conc::rt::cross_process
