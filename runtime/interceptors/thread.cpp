// Thread lifecycle: pthread_create (through a trampoline that installs the
// child's engine state in TLS), join in all its forms, detach and exit.
// std::thread reaches these through libstdc++, which resolves pthread_create
// to ours because libconcrt precedes libc in the lookup order.
#include <pthread.h>

#include <mutex>
#include <unordered_map>

#include "abi/spin_lock.h"
#include "interceptors/interceptor.h"
#include "interceptors/signal_state.h"
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

// Joinable threads by handle, so a join finds the state to acquire from.
class JoinableThreads {
 public:
  void add(pthread_t handle, engine::ThreadState* state) {
    std::lock_guard guard(lock_);
    map_[handle] = state;
  }
  engine::ThreadState* take(pthread_t handle) {
    std::lock_guard guard(lock_);
    auto it = map_.find(handle);
    if (it == map_.end()) return nullptr;
    engine::ThreadState* state = it->second;
    map_.erase(it);
    return state;
  }

 private:
  SpinLock lock_;
  std::unordered_map<pthread_t, engine::ThreadState*> map_;
};

JoinableThreads& joinable() {
  static auto* threads = new JoinableThreads;  // never destroyed: threads outlive static destructors
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
    tls.state = nullptr;  // thread-local destructors after this are not recorded
    g_engine->thread_finish(state);
    thread_table().finished(g_engine->tid(state));
  }
  release_signal_state();
}

struct FinishOnExit {
  ~FinishOnExit() { finish_current_thread(); }
};

void* thread_trampoline(void* raw) {
  StartArgs args = *static_cast<StartArgs*>(raw);
  {
    RuntimeScope scope;
    delete static_cast<StartArgs*>(raw);
    g_engine->thread_start(args.state);
    thread_table().started(g_engine->tid(args.state), current_os_tid());
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

// After a successful join of `handle`: the joiner sees everything it did.
void joined(pthread_t handle) {
  engine::ThreadState* joiner = recording_thread();
  RuntimeScope scope;
  engine::ThreadState* state = joinable().take(handle);
  if (!state) return;
  if (joiner) g_engine->thread_join(joiner, state);
  else g_engine->thread_detach(state);  // an unrecorded joiner: just release the state
}

// A return address inside the caller: the top frame of creation stacks, so
// reports show "#0 pthread_create" above the program's call as
// ThreadSanitizer's do.
__attribute__((noinline)) engine::Pc address_in_caller() { return CONC_CALLER_PC; }

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
    args = new StartArgs{routine, arg, g_engine->thread_create(parent, address_in_caller())};
    g_engine->func_exit(parent);
  }
  engine::ThreadState* child = args->state;
  int rc = real_pthread_create(thread, attr, thread_trampoline, args);
  RuntimeScope scope;
  if (rc != 0) {
    delete args;
    retire_unstarted(parent, child);
  } else if (created_detached(attr)) {
    g_engine->thread_detach(child);
  } else {
    joinable().add(*thread, child);
  }
  return rc;
}

CONC_EXPORT int pthread_join(pthread_t thread, void** result) {
  int rc = real_pthread_join(thread, result);
  if (rc == 0) joined(thread);
  return rc;
}

CONC_EXPORT int pthread_tryjoin_np(pthread_t thread, void** result) noexcept {
  int rc = real_pthread_tryjoin_np(thread, result);
  if (rc == 0) joined(thread);
  return rc;
}

CONC_EXPORT int pthread_timedjoin_np(pthread_t thread, void** result, const struct timespec* abstime) {
  int rc = real_pthread_timedjoin_np(thread, result, abstime);
  if (rc == 0) joined(thread);
  return rc;
}

CONC_EXPORT int pthread_clockjoin_np(pthread_t thread, void** result, clockid_t clock,
                                     const struct timespec* abstime) {
  int rc = real_pthread_clockjoin_np(thread, result, clock, abstime);
  if (rc == 0) joined(thread);
  return rc;
}

CONC_EXPORT int pthread_detach(pthread_t thread) noexcept {
  int rc = real_pthread_detach(thread);
  if (rc == 0) {
    RuntimeScope scope;
    if (engine::ThreadState* state = joinable().take(thread)) g_engine->thread_detach(state);
  }
  return rc;
}

CONC_EXPORT void pthread_exit(void* result) {
  finish_current_thread();
  real_pthread_exit(result);
  __builtin_unreachable();
}
