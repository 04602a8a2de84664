// The runtime's lock analyses beyond the engine's data races and lock-order
// inversions: mutex misuse, abandoned locks, thread leaks, and a watchdog
// thread that reports real deadlocks and hangs from the wait-for graph, then
// ends the process instead of letting it hang. The interceptor families feed
// it; docs/reports/*.md describe each report.
#pragma once

#include <string>

#include "engine/lock_state.h"
#include "engine/wait_graph.h"
#include "interceptors/interceptor.h"

namespace conc::rt::locks {

// Option lock_analyses, and not in a fork child.
bool enabled();

engine::LockTable& lock_table();
engine::CondBindings& cond_bindings();

// "main thread" / "thread T3", as reports name threads.
std::string thread_name(engine::Tid tid);

// A mutex-misuse report by the calling thread at `pc` on `object`; when
// `object` is a held lock, also where its owner took it.
void report_misuse(engine::ThreadState* thread, engine::Pc pc, const std::string& detail, uintptr_t object);

// The calling thread is blocked as `wait` says while the scope lives (a
// no-op when the thread is not recorded or the analyses are off).
class BlockScope {
 public:
  BlockScope(engine::Wait wait, engine::Pc pc);
  ~BlockScope();
  BlockScope(const BlockScope&) = delete;
  BlockScope& operator=(const BlockScope&) = delete;

 private:
  engine::Tid tid_ = 0;
  bool active_ = false;
};

// Thread life cycle (with the reentrancy guard set by the caller).
void main_thread_started(engine::Tid tid);  // at initialization
void thread_created();                      // in the parent; starts the watchdog the first time
void thread_started(engine::Tid tid);
void thread_finishing(engine::ThreadState* thread);  // reports locks it still holds
// Memory going back to the allocator: a lock still held in it is misuse.
void memory_freed(engine::ThreadState* thread, uintptr_t addr, size_t size, engine::Pc pc);
// In the parent, before fork: locks other threads hold stay locked forever in the child.
void before_fork(engine::ThreadState* thread, engine::Pc pc);
// At process exit, before the exit status is decided: thread leaks and locks
// other threads still hold.
void run_exit_checks();
// Defined by the thread interceptors: reports threads never joined nor detached.
void report_thread_leaks();

}  // namespace conc::rt::locks
