// Thread lifecycle: pthread_create (through a trampoline that installs the
// child's engine state in TLS), join in all its forms, detach and exit.
// std::thread reaches these through libstdc++, which resolves pthread_create
// to ours because libconcrt precedes libc in the lookup order.
//
// Lock analyses: a joining thread is blocked on the joined one (join cycles
// are deadlocks); a thread that ends holding locks abandons them, and so does
// one that ends the whole process with abort() (std::terminate after an
// exception escaped it); joining a thread twice is misuse; threads still
// neither joined nor detached at exit leak.
#include <pthread.h>
#include <stdlib.h>

#include <cerrno>
#include <mutex>
#include <new>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "abi/spin_lock.h"
#include "interceptors/lock_analyses.h"
#include "interceptors/shared_memory.h"
#include "interceptors/signal_state.h"
#include "reports/reporter.h"
#include "reports/thread_table.h"

namespace conc::rt {
namespace {

CONC_REAL(pthread_create);
CONC_REAL(pthread_join);
CONC_REAL(pthread_tryjoin_np);
CONC_REAL(pthread_timedjoin_np);
CONC_REAL(pthread_clockjoin_np);
CONC_REAL(pthread_detach);
CONC_REAL(pthread_exit);
CONC_REAL(abort);

// The threads the runtime knows by handle: joinable ones, with the state a
// join acquires from, and handles already joined (until a new thread gets the
// same handle), since a second join would use a thread descriptor that no
// longer exists. One lock for both: glibc may give a just-joined handle to a
// thread another thread creates before the joiner records the join, and the
// joiner must then neither take the new thread's state nor mark it joined.
class ThreadHandles {
 public:
  void created(pthread_t handle, engine::ThreadState* state) {
    std::lock_guard guard(lock_);
    joinable_[handle] = state;
    joined_.erase(handle);
  }
  engine::ThreadState* find(pthread_t handle) {
    std::lock_guard guard(lock_);
    auto it = joinable_.find(handle);
    return it == joinable_.end() ? nullptr : it->second;
  }
  // After a successful join of `state`, found under `handle` before it.
  void joined(pthread_t handle, engine::ThreadState* state) {
    std::lock_guard guard(lock_);
    auto it = joinable_.find(handle);
    if (it == joinable_.end() || it->second != state) return;  // the handle is a new thread's now
    joinable_.erase(it);
    joined_.insert(handle);
  }
  engine::ThreadState* detached(pthread_t handle) {
    std::lock_guard guard(lock_);
    auto it = joinable_.find(handle);
    if (it == joinable_.end()) return nullptr;
    engine::ThreadState* state = it->second;
    joinable_.erase(it);
    return state;
  }
  bool joined_before(pthread_t handle) {
    std::lock_guard guard(lock_);
    return joined_.count(handle) != 0;
  }
  std::vector<engine::ThreadState*> joinable() {
    std::lock_guard guard(lock_);
    std::vector<engine::ThreadState*> states;
    states.reserve(joinable_.size());
    for (const auto& [handle, state] : joinable_) states.push_back(state);
    return states;
  }

 private:
  SpinLock lock_;
  std::unordered_map<pthread_t, engine::ThreadState*> joinable_;
  std::unordered_set<pthread_t> joined_;
};

ThreadHandles& handles() {
  static auto* threads = new ThreadHandles;  // never destroyed: threads outlive static destructors
  return *threads;
}

struct StartArgs {
  void* (*routine)(void*);
  void* arg;
  engine::ThreadState* state;
};

// Ends the thread's recording: on return from its routine, and by unwinding
// on pthread_exit or cancellation (glibc unwinds the stack for both).
void finish_current_thread() {
  engine::ThreadState* state = tls.state;
  if (!state) return;
  {
    RuntimeScope scope;
    locks::thread_finishing(state);
    tls.state = nullptr;  // thread-local destructors after this are not recorded
    const engine::Tid tid = g_engine->tid(state);
    g_engine->thread_finish(state);  // a detached thread's state is gone after this
    thread_table().finished(tid);
  }
  release_signal_state();
}

struct FinishOnExit {
  ~FinishOnExit() { finish_current_thread(); }
};

// glibc gives a new thread the stack (and the static TLS at its top) of one
// that ended, and that thread's accesses there are not ordered before the
// new one's unless someone joined it: forget them, as ThreadSanitizer does.
void forget_own_stack() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* stack = nullptr;
  size_t size = 0;
  if (pthread_attr_getstack(&attr, &stack, &size) == 0 && stack)
    g_engine->forget_memory(reinterpret_cast<uintptr_t>(stack), size);
  pthread_attr_destroy(&attr);
}

void* thread_trampoline(void* raw) {
  StartArgs args = *static_cast<StartArgs*>(raw);
  {
    RuntimeScope scope;
    delete static_cast<StartArgs*>(raw);
    forget_own_stack();
    g_engine->thread_start(args.state);
    thread_table().started(g_engine->tid(args.state), current_os_tid());
    locks::thread_started(g_engine->tid(args.state));
  }
  tls.state = args.state;
  FinishOnExit finish;
  return args.routine(args.arg);
}

bool created_detached(const pthread_attr_t* attr) {
  int state = PTHREAD_CREATE_JOINABLE;
  return attr && pthread_attr_getdetachstate(attr, &state) == 0 && state == PTHREAD_CREATE_DETACHED;
}

// The state of a thread that will never run: retire it so the engine can
// reuse it.
void retire_unstarted(engine::ThreadState* parent, engine::ThreadState* child) {
  g_engine->thread_start(child);
  g_engine->thread_finish(child);
  g_engine->thread_join(parent, child);
}

// The state of the thread a join of `handle` waits for, looked up before the
// join: once joined, the handle may be reused by a new thread at any moment.
engine::ThreadState* joining(pthread_t handle) {
  RuntimeScope scope;
  return handles().find(handle);
}

// After a successful join of `state`: the joiner sees everything it did.
void joined(pthread_t handle, engine::ThreadState* state) {
  if (!state) return;
  engine::ThreadState* joiner = recording_thread();
  RuntimeScope scope;
  handles().joined(handle, state);
  if (joiner)
    g_engine->thread_join(joiner, state);
  else
    g_engine->thread_detach(state);  // an unrecorded joiner: just release the state
}

// A return address inside the caller: the top frame of creation stacks, so
// reports show "#0 pthread_create" above the program's call as
// ThreadSanitizer's do.
__attribute__((noinline)) engine::Pc address_in_caller() { return CONC_CALLER_PC; }

// Before a join: a second join of the same thread is misuse (true: do not
// call the real join, whose thread descriptor may be gone or reused).
bool joined_before(pthread_t handle, engine::Pc pc) {
  engine::ThreadState* t = recording_thread();
  if (!t || !locks::enabled()) return false;
  RuntimeScope scope;
  if (!handles().joined_before(handle)) return false;
  locks::report_misuse(t, pc, "join of a thread that was already joined", static_cast<uintptr_t>(handle));
  return true;
}

// The wait of a blocking join: on the joined thread, when it is known.
engine::Wait join_wait(pthread_t handle, const engine::ThreadState* state) {
  engine::Wait wait{.kind = engine::WaitKind::Join, .object = static_cast<uintptr_t>(handle)};
  if (state)
    wait.target = g_engine->tid(state);
  else
    wait.timed = true;  // not a thread the runtime knows: never part of a cycle or a hang
  return wait;
}

}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*routine)(void*),
                               void* arg) noexcept {
  initialize();
  engine::ThreadState* parent = recording_thread();
  if (!parent || !detection_enabled()) return real_pthread_create(thread, attr, routine, arg);
  engine::Pc pc = CONC_CALLER_PC;
  StartArgs* args;
  {
    RuntimeScope scope;
    g_engine->func_entry(parent, pc);
    // pthread_create is noexcept, so running out of memory here is EAGAIN,
    // glibc's own answer to it (the initializer, so the engine's thread_create,
    // runs only once the allocation succeeded).
    args = new (std::nothrow) StartArgs{routine, arg, g_engine->thread_create(parent, address_in_caller())};
    g_engine->func_exit(parent);
  }
  if (!args) return EAGAIN;
  engine::ThreadState* child = args->state;
  int rc = real_pthread_create(thread, attr, thread_trampoline, args);
  RuntimeScope scope;
  if (rc != 0) {
    delete args;
    retire_unstarted(parent, child);
  } else if (created_detached(attr)) {
    g_engine->thread_detach(child);
  } else {
    handles().created(*thread, child);
  }
  if (rc == 0) locks::thread_created();
  return rc;
}

CONC_EXPORT int pthread_join(pthread_t thread, void** result) {
  if (joined_before(thread, CONC_CALLER_PC)) return ESRCH;
  engine::ThreadState* state = joining(thread);
  int rc;
  {
    locks::BlockScope block(join_wait(thread, state), CONC_CALLER_PC);
    rc = real_pthread_join(thread, result);
  }
  if (rc == 0) joined(thread, state);
  return rc;
}

CONC_EXPORT int pthread_tryjoin_np(pthread_t thread, void** result) noexcept {
  if (joined_before(thread, CONC_CALLER_PC)) return ESRCH;
  engine::ThreadState* state = joining(thread);
  int rc = real_pthread_tryjoin_np(thread, result);
  if (rc == 0) joined(thread, state);
  return rc;
}

CONC_EXPORT int pthread_timedjoin_np(pthread_t thread, void** result, const struct timespec* abstime) {
  if (joined_before(thread, CONC_CALLER_PC)) return ESRCH;
  engine::ThreadState* state = joining(thread);
  int rc = real_pthread_timedjoin_np(thread, result, abstime);
  if (rc == 0) joined(thread, state);
  return rc;
}

CONC_EXPORT int pthread_clockjoin_np(pthread_t thread, void** result, clockid_t clock,
                                     const struct timespec* abstime) {
  if (joined_before(thread, CONC_CALLER_PC)) return ESRCH;
  engine::ThreadState* state = joining(thread);
  int rc = real_pthread_clockjoin_np(thread, result, clock, abstime);
  if (rc == 0) joined(thread, state);
  return rc;
}

CONC_EXPORT int pthread_detach(pthread_t thread) noexcept {
  int rc = real_pthread_detach(thread);
  if (rc == 0) {
    RuntimeScope scope;
    if (engine::ThreadState* state = handles().detached(thread)) g_engine->thread_detach(state);
  }
  return rc;
}

CONC_EXPORT void pthread_exit(void* result) {
  finish_current_thread();
  real_pthread_exit(result);
  __builtin_unreachable();
}

// std::terminate's handler ends in abort() (glibc's own callers, such as a
// failed assert, reach it without the PLT). Locks the aborting thread holds
// are reported as abandoned; that report is fatal, so the process ends with
// the report exit code once every report is out, as after a deadlock.
// Without it the abort goes on, after the pending cross-process reports.
CONC_EXPORT void abort() noexcept {
  if (engine::ThreadState* t = recording_thread()) {
    RuntimeScope scope;
    cross_process::print_pending_reports();
    locks::aborting(t);
  }
  real_abort();
  __builtin_unreachable();
}

namespace conc::rt::locks {

void report_thread_leaks() {
  for (engine::ThreadState* state : handles().joinable()) {
    const engine::Tid tid = g_engine->tid(state);
    engine::ThreadInfo info = g_engine->thread_info(tid);
    engine::Report report;
    report.kind = engine::ReportKind::ThreadLeak;
    report.detail = thread_name(tid) + " was neither joined nor detached";
    report.events.push_back({tid, thread_name(tid) + " created here and never joined", 0, info.created_at});
    report.threads.push_back(info);
    reporter().on_report(report);
  }
}

}  // namespace conc::rt::locks
