// The detector engine: happens-before data-race detection and lock-order
// tracking, driven by a plain event API (thread create/start/join, acquire/
// release, read/write, atomics, alloc/free, mutex lock/unlock).
//
// The engine knows nothing of interception or output: the runtime's
// interceptors and __tsan_* entry points feed it events, and it hands finished
// reports (program counters, no symbols) to a ReportSink. That keeps it
// unit-testable with synthetic event traces and buildable under real
// ThreadSanitizer, ASan and UBSan.
//
// Threading: every method may be called concurrently from many threads; each
// thread passes its own ThreadState. The engine never calls pthread locking
// functions (the runtime intercepts those), only its own internal locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace conc::engine {

using Pc = uintptr_t;
using Tid = uint32_t;  // unique per thread for the life of the process; 0 is the main thread

struct ThreadState;  // per-thread detector state, owned by the engine

// Memory orders exactly as the __tsan_* ABI encodes them (callers mask the
// compiler's extra bits with 0x7fff before converting).
enum class MemoryOrder : int { Relaxed = 0, Consume = 1, Acquire = 2, Release = 3, AcqRel = 4, SeqCst = 5 };

enum class AtomicKind { Load, Store, ReadModifyWrite };

// DataRace and LockOrderInversion come from the engine itself; the other
// kinds are built by the runtime's lock analyses (runtime/interceptors/
// lock_analyses.*) and only pass through the engine's ReportSink.
// Contention is the contention_report table, information rather than a finding.
enum class ReportKind {
  DataRace,
  LockOrderInversion,
  Deadlock,
  AbandonedLock,
  MutexMisuse,
  ThreadLeak,
  Hang,
  Starvation,
  Livelock,
  Contention
};

// A frame list, innermost first: the access or acquisition PC, then the
// return addresses recorded by func_entry.
using Stack = std::vector<Pc>;

struct ThreadInfo {
  Tid tid = 0;
  Tid parent = 0;    // meaningless for tid 0
  Stack created_at;  // the parent's stack at thread creation; empty for tid 0
};

struct ReportedAccess {
  Tid tid = 0;
  uintptr_t addr = 0;
  size_t size = 0;
  bool write = false;
  bool atomic = false;
  Stack stack;
};

struct HeapBlock {
  uintptr_t addr = 0;
  size_t size = 0;
  Tid tid = 0;  // allocating thread
  Stack allocated_at;
};

// One edge of a lock-order cycle: thread `tid` acquired `to` while holding
// `from`.
struct LockEdge {
  uintptr_t from = 0;
  uintptr_t to = 0;
  Tid tid = 0;
  Stack from_acquired_at;  // where `from` was taken
  Stack to_acquired_at;    // where `to` was taken while `from` was held
};

// One event of a lock-hazard report: what a thread did or is doing, where.
struct ReportedEvent {
  Tid tid = 0;
  std::string what;    // e.g. "thread T1 blocks locking mutex 0x1234, held by thread T2"
  uintptr_t addr = 0;  // the lock, condition variable or thread object involved; 0 for none
  Stack stack;
};

struct Report {
  ReportKind kind = ReportKind::DataRace;
  // DataRace: [0] the current access, [1] the earlier conflicting one.
  std::vector<ReportedAccess> accesses;
  bool has_heap_block = false;
  HeapBlock heap_block;  // when the racy address lies in a live heap block
  // LockOrderInversion: the cycle's edges, in cycle order.
  std::vector<LockEdge> cycle;
  // Lock-hazard kinds: the specific problem in one line, and its events.
  std::string detail;
  std::vector<ReportedEvent> events;
  // Every thread named above, with where it was created.
  std::vector<ThreadInfo> threads;
};

class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual void on_report(const Report& report) = 0;
};

struct LockFlags {
  bool try_lock = false;  // a try-lock that succeeded: it never blocked, so it adds no order edge
  bool shared = false;    // a reader (shared) acquisition
};

class Engine {
 public:
  explicit Engine(ReportSink& sink);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Self-checking (CONC_OPTIONS=verify=1, for testing conc): every event
  // handled here first checks the invariants of its thread's state (it is
  // live, owns its slot, its slot and epoch map back to it, its shadow cell
  // base matches them) and aborts with a message naming the broken one.
  // Accesses that the inlined fast path (fast_path.h) completes on its own
  // are not checked.
  void set_verify(bool on);

  // Threads. The main thread is created with parent == nullptr. thread_create
  // runs in the parent before the child can run, so the child's clock starts
  // after everything the parent did so far.
  ThreadState* thread_create(ThreadState* parent, Pc pc);
  void thread_start(ThreadState* thread);
  void thread_finish(ThreadState* thread);
  // After a successful join: the joiner acquires everything the joined thread
  // did. The joined state is released for reuse afterwards.
  void thread_join(ThreadState* joiner, ThreadState* joined);
  // A detached thread's state is released when it finishes.
  void thread_detach(ThreadState* thread);
  Tid tid(const ThreadState* thread) const;

  // Shadow call stack.
  void func_entry(ThreadState* thread, Pc return_pc);
  void func_exit(ThreadState* thread);
  // The shadow call stack's depth, and a return to an earlier depth for
  // longjmp, which leaves frames without their func_exit.
  unsigned stack_depth(const ThreadState* thread) const;
  void stack_unwind(ThreadState* thread, unsigned depth);

  // Plain memory accesses of any size and alignment.
  void read(ThreadState* thread, uintptr_t addr, size_t size, Pc pc);
  void write(ThreadState* thread, uintptr_t addr, size_t size, Pc pc);

  // An atomic operation on `addr`: records the access and the happens-before
  // its memory order implies, and runs `op` (which performs the operation
  // itself) at the point where the order is correct. Relaxed creates no
  // happens-before (but feeds later fences).
  // A failed compare-exchange is reported by its caller as a Load with the
  // failure order.
  template <typename Op>
  auto atomic(ThreadState* thread, uintptr_t addr, size_t size, AtomicKind kind, MemoryOrder order, Pc pc,
              Op&& op) {
    atomic_before(thread, addr, size, kind, order, pc);
    auto result = op();
    atomic_after(thread, addr, kind, order);
    return result;
  }
  // A compare-exchange: `op` performs it and returns whether it succeeded. A
  // success is a read-modify-write with order `success`, a failure a load
  // with order `failure`. (Both are recorded in shadow as an atomic write, as
  // ThreadSanitizer does.)
  template <typename Op>
  bool atomic_compare_exchange(ThreadState* thread, uintptr_t addr, size_t size, MemoryOrder success,
                               MemoryOrder failure, Pc pc, Op&& op) {
    atomic_before(thread, addr, size, AtomicKind::ReadModifyWrite, success, pc);
    const bool succeeded = op();
    atomic_after(thread, addr, succeeded ? AtomicKind::ReadModifyWrite : AtomicKind::Load,
                 succeeded ? success : failure);
    return succeeded;
  }
  void fence(ThreadState* thread, MemoryOrder order);

  // Synchronization on an arbitrary address (annotations, semaphores, futures,
  // condition variables...). release() joins the thread's clock into the
  // address's clock; acquire() joins the address's clock into the thread's.
  void acquire(ThreadState* thread, uintptr_t sync);
  void release(ThreadState* thread, uintptr_t sync);

  // Mutexes: happens-before plus the lock-order graph. Call mutex_lock after
  // the lock was obtained and mutex_unlock before it is released.
  void mutex_create(ThreadState* thread, uintptr_t mutex, Pc pc);
  void mutex_destroy(ThreadState* thread, uintptr_t mutex);
  void mutex_lock(ThreadState* thread, uintptr_t mutex, LockFlags flags, Pc pc);
  void mutex_unlock(ThreadState* thread, uintptr_t mutex, bool shared, Pc pc);

  // Heap blocks: shadow reset on allocation and free so reused memory raises
  // no false reports; blocks remember their allocation site for reports.
  void alloc(ThreadState* thread, uintptr_t addr, size_t size, Pc pc);
  void free(ThreadState* thread, uintptr_t addr, Pc pc);
  // Memory that now holds something new without passing through alloc/free
  // (a new thread's stack, munmap, mmap over old data): forgets its recorded
  // accesses and sync objects so its reuse raises no false report.
  void forget_memory(uintptr_t addr, size_t size);

  // For the runtime's lock analyses: a compact handle of the thread's current
  // stack at `pc` (cheap, cached; 0 is the empty stack), its frames, and what
  // reports say about a thread.
  uint32_t stack_handle(ThreadState* thread, Pc pc);
  Stack unwind(uint32_t handle) const;
  ThreadInfo thread_info(Tid tid) const;
  // Every lock-order edge seen so far (one per ordered pair of locks, with
  // where each lock was taken), for the lock graph written at exit.
  std::vector<LockEdge> lock_order_edges() const;

  // Ignore plain accesses of this thread while the count is positive.
  void ignore_begin(ThreadState* thread);
  void ignore_end(ThreadState* thread);

 private:
  void atomic_before(ThreadState* thread, uintptr_t addr, size_t size, AtomicKind kind, MemoryOrder order,
                     Pc pc);
  void atomic_after(ThreadState* thread, uintptr_t addr, AtomicKind kind, MemoryOrder order);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace conc::engine
