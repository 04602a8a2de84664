// State shared by the __tsan_* entry points and the interceptors: the engine,
// the per-thread context in initial-exec TLS, the reentrancy guard, and the
// start-up / exit hooks of libconcrt.
#pragma once

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "engine/engine.h"

#define CONC_EXPORT extern "C" __attribute__((visibility("default")))
// The instruction after the call into the runtime, in the caller's code.
#define CONC_CALLER_PC reinterpret_cast<::conc::engine::Pc>(__builtin_return_address(0))

namespace conc::rt {

// Lets code after `using namespace conc::rt` (the exported functions) say engine::.
namespace engine = ::conc::engine;

class ThreadTable;
class Reporter;
struct Options;

// Per-thread runtime state. Plain data so `__thread` needs no TLS wrapper.
struct ThreadContext {
  engine::ThreadState* state;  // null: nothing is recorded for this thread
  int in_runtime;              // > 0 while runtime code runs on this thread
  int os_tid;
  int signal_pending;  // a signal handler waits for in_runtime to reach 0 (see below)
};

extern __thread ThreadContext tls __attribute__((tls_model("initial-exec")));

// Null until initialize() finished; never destroyed (threads may still run
// while the process exits).
extern engine::Engine* g_engine;

// The thread's engine state when its events are to be recorded: the runtime
// is initialized, the thread is known and it is not inside the runtime.
inline engine::ThreadState* recording_thread() { return tls.in_runtime == 0 ? tls.state : nullptr; }

// Signal deferral (interceptors/signal.cpp): an asynchronous signal that
// arrives while in_runtime > 0 is recorded and its handler runs here, when the
// thread leaves the runtime, so a handler never re-enters half-updated runtime
// state. The fence keeps the compiler from reading signal_pending before the
// decrement (the handler can set it between any two instructions).
void deliver_pending_signals();
inline void left_runtime() {
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (__builtin_expect(tls.signal_pending != 0, 0)) deliver_pending_signals();
}

// Marks runtime code on this thread: interceptors hit meanwhile (the engine's
// allocations, report output, symbolizer I/O) forward to libc and record
// nothing; signal handlers wait (above). Used on the memory-access paths,
// which must be cheap.
class AccessScope {
 public:
  AccessScope() { ++tls.in_runtime; }
  ~AccessScope() {
    --tls.in_runtime;
    left_runtime();
  }
  AccessScope(const AccessScope&) = delete;
  AccessScope& operator=(const AccessScope&) = delete;
};

// AccessScope that also keeps errno, for interceptors whose callers look at
// errno right after the call.
class RuntimeScope : AccessScope {
 public:
  RuntimeScope() : saved_errno_(errno) {}
  ~RuntimeScope() { errno = saved_errno_; }

 private:
  int saved_errno_;
};

// Runs f(engine, thread) when this thread's events are recorded, with the
// reentrancy guard set and errno kept.
template <typename F>
void with_thread(F f) {
  if (engine::ThreadState* t = recording_thread()) {
    RuntimeScope scope;
    f(*g_engine, t);
  }
}

// Idempotent; creates the engine and the main thread's state on the calling
// thread. Runs from libconcrt's constructor, __tsan_init and pthread_create.
void initialize();
// Called by __tsan_init: the program carries ThreadSanitizer instrumentation.
void note_instrumented();
bool instrumented();
// False in a forked child: it runs without detection (see docs/runtime.md).
bool detection_enabled();
// The fork child's cut-over to "no detection".
void disable_detection_after_fork();

ThreadTable& thread_table();
// The parsed CONC_OPTIONS and the report sink (valid after initialize()).
const Options& options();
Reporter& reporter();

// Ranges the program annotated as benign races (AnnotateBenignRace*, in
// abi/tsan_annotations.cpp): data races on them are not reported, and a
// freed heap block drops the annotations inside it.
bool benign_race(uintptr_t addr, size_t size);
void forget_benign_races(uintptr_t addr, size_t size);

// The OS thread id of the calling thread, cached in TLS.
int current_os_tid();

}  // namespace conc::rt
