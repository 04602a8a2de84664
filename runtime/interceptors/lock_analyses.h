// The runtime's lock analyses beyond the engine's data races and lock-order
// inversions: mutex misuse, abandoned locks, thread leaks, livelocks (try-lock
// failures and back-offs without progress), per-lock statistics with the
// contention_report table, and a watchdog thread that reports starvation,
// and real deadlocks and hangs from the wait-for graph, then ends the process
// instead of letting it hang. The interceptor families feed it;
// docs/reports/*.md describe each report.
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

// Whether, and how long, a lock acquisition waited for the lock.
struct Blocked {
  bool waited = false;
  uint64_t ns = 0;
};

// The calling thread is blocked as `wait` says while the scope lives (a
// no-op when the thread is not recorded or the analyses are off).
class BlockScope {
 public:
  BlockScope(engine::Wait wait, engine::Pc pc);
  ~BlockScope();
  BlockScope(const BlockScope&) = delete;
  BlockScope& operator=(const BlockScope&) = delete;
  // The wait so far (nothing when the scope is inactive).
  Blocked blocked() const;

 private:
  engine::Tid tid_ = 0;
  bool active_ = false;
  uint64_t started_ns_ = 0;
};

// Lock events with the analyses on (reentrancy guard set by the caller):
// the lock table, its statistics and the thread's back-off state.
void lock_acquired(engine::ThreadState* thread, uintptr_t lock, bool shared, bool robust, Blocked blocked,
                   engine::Pc pc);
void lock_releasing(engine::ThreadState* thread, uintptr_t lock, bool shared);
void try_lock_failed(engine::ThreadState* thread, uintptr_t lock, engine::Pc pc);
// A relock of a normal mutex by its owner blocks forever: the watchdog must
// run to report it even in a program that never created a thread.
void self_deadlock_ahead();

// Thread life cycle (with the reentrancy guard set by the caller).
void main_thread_started(engine::Tid tid);  // at initialization
void thread_created();                      // in the parent; starts the watchdog the first time
void thread_started(engine::Tid tid);
void thread_finishing(engine::ThreadState* thread);  // reports locks it still holds
// The thread ends the process with abort() (std::terminate): locks it holds
// are reported as abandoned, and that report ends the process (report exit
// code). Returns when nothing was printed.
void aborting(engine::ThreadState* thread);
// Memory going back to the allocator: a lock still held in it is misuse.
void memory_freed(engine::ThreadState* thread, uintptr_t addr, size_t size, engine::Pc pc);
// In the parent, before fork: locks other threads hold stay locked forever in the child.
void before_fork(engine::ThreadState* thread, engine::Pc pc);
// At process exit, before the exit status is decided: thread leaks, locks
// other threads still hold, and the contention table when asked for.
void run_exit_checks();
// Defined by the thread interceptors: reports threads never joined nor detached.
void report_thread_leaks();

}  // namespace conc::rt::locks
