// Lock analyses: report building, the lock table's life-cycle checks and the
// deadlock/hang watchdog.
//
// The watchdog is created with the real pthread_create, so no analysis sees
// it; it blocks every signal, runs with the reentrancy guard set and never
// takes a program lock, only the runtime's spin locks. It samples the
// wait-for graph every kPollMs: a wait cycle (or "every thread blocked")
// made of the same waits (same serials) for the whole timeout cannot have
// moved, because each of its threads stayed inside one blocking call.
#include "interceptors/lock_analyses.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <vector>

#include "abi/options.h"
#include "reports/format.h"
#include "reports/output.h"
#include "reports/reporter.h"
#include "reports/thread_table.h"

namespace conc::rt::locks {
namespace {

CONC_REAL(pthread_create);

constexpr int kPollMs = 50;

std::atomic<bool> g_watchdog_started{false};

engine::WaitGraph& wait_graph() {
  static auto* graph = new engine::WaitGraph;  // never destroyed: threads outlive static destructors
  return *graph;
}

uint64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

const char* object_name(engine::WaitKind kind) {
  switch (kind) {
    case engine::WaitKind::Lock: return "lock";
    case engine::WaitKind::Join: return "thread";
    case engine::WaitKind::Cond: return "condition variable";
    case engine::WaitKind::Semaphore: return "semaphore";
    case engine::WaitKind::Barrier: return "barrier";
  }
  return "object";
}

// Adds every thread the events name, with its creation stack.
void add_threads(engine::Report& report) {
  for (const engine::ReportedEvent& e : report.events) {
    bool known = false;
    for (const engine::ThreadInfo& t : report.threads) known |= t.tid == e.tid;
    if (!known) report.threads.push_back(g_engine->thread_info(e.tid));
  }
}

void emit(engine::Report& report, bool fatal) {
  add_threads(report);
  if (fatal && options().deadlock_exit) reporter().on_fatal_report(report);
  else reporter().on_report(report);
}

engine::ReportedEvent taken_here(const engine::LockHold& h) {
  return {h.owner, "lock " + hex(h.lock) + " taken by " + thread_name(h.owner) + " here", h.lock,
          g_engine->unwind(h.acquired_at)};
}

// Who a blocked thread waits for: the owner of the lock (a timed wait ends by
// itself, so it waits for nobody), or the thread it joins.
std::optional<engine::Tid> waits_for(const engine::ThreadWait& t) {
  if (!t.wait || t.wait->timed) return std::nullopt;
  if (t.wait->kind == engine::WaitKind::Join) return t.wait->target;
  if (t.wait->kind != engine::WaitKind::Lock) return std::nullopt;
  std::optional<engine::LockHold> h = lock_table().held(t.wait->object);
  if (!h) return std::nullopt;
  return h->owner;
}

std::string describe_wait(const engine::ThreadWait& t) {
  const engine::Wait& w = *t.wait;
  if (w.kind == engine::WaitKind::Join) return thread_name(t.tid) + " blocks joining " + thread_name(w.target);
  std::string what = thread_name(t.tid) + " blocks on " + object_name(w.kind) + " " + hex(w.object);
  if (w.kind == engine::WaitKind::Lock)
    if (std::optional<engine::LockHold> h = lock_table().held(w.object)) what += ", held by " + thread_name(h->owner);
  return what;
}

void report_deadlock(const std::vector<engine::ThreadWait>& cycle) {
  engine::Report report;
  report.kind = engine::ReportKind::Deadlock;
  if (cycle.size() == 1) {
    report.detail = thread_name(cycle[0].tid) + " waits for " + object_name(cycle[0].wait->kind) + " " +
                    hex(cycle[0].wait->object) + ", which it holds itself; it will wait forever";
  } else {
    report.detail = "these threads wait for each other and will wait forever:";
    for (const engine::ThreadWait& t : cycle) report.detail += " " + thread_name(t.tid) + " ->";
    report.detail += " " + thread_name(cycle[0].tid);
  }
  for (const engine::ThreadWait& t : cycle)
    report.events.push_back({t.tid, describe_wait(t), t.wait->object, g_engine->unwind(t.wait->stack)});
  for (const engine::ThreadWait& t : cycle)
    if (t.wait->kind == engine::WaitKind::Lock)
      if (std::optional<engine::LockHold> h = lock_table().held(t.wait->object)) report.events.push_back(taken_here(*h));
  emit(report, true);
}

void report_hang(const std::vector<engine::ThreadWait>& threads) {
  engine::Report report;
  report.kind = engine::ReportKind::Hang;
  report.detail = "every thread (" + std::to_string(threads.size()) +
                  ") is blocked without a timeout, so none can wake another; the program will never finish";
  for (const engine::ThreadWait& t : threads)
    report.events.push_back({t.tid, describe_wait(t), t.wait->object, g_engine->unwind(t.wait->stack)});
  emit(report, true);
}

// A situation (cycle or all-blocked) identified by its waits' serials, and
// since when it has been seen unchanged.
class Persistence {
 public:
  // True once when `waits` stayed the same for `timeout_ms`.
  bool due(const std::vector<engine::ThreadWait>& waits, uint64_t now, int timeout_ms) {
    std::vector<uint64_t> key;
    for (const engine::ThreadWait& t : waits) key.push_back(t.wait->serial);
    if (key != key_) {
      key_ = std::move(key);
      since_ = now;
      reported_ = false;
    }
    if (key_.empty() || reported_ || now - since_ < static_cast<uint64_t>(timeout_ms)) return false;
    reported_ = true;
    return true;
  }

 private:
  std::vector<uint64_t> key_;
  uint64_t since_ = 0;
  bool reported_ = false;
};

void* watchdog(void*) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  ++tls.in_runtime;  // nothing this thread does is the program's
  Persistence cycles, hangs;
  const timespec interval{0, kPollMs * 1000000L};
  for (;;) {
    nanosleep(&interval, nullptr);
    if (!enabled()) continue;
    std::vector<engine::ThreadWait> threads = wait_graph().snapshot();
    const uint64_t now = now_ms();
    std::vector<engine::ThreadWait> cycle = engine::find_wait_cycle(threads, waits_for);
    if (cycles.due(cycle, now, options().deadlock_timeout_ms)) report_deadlock(cycle);
    if (!engine::all_blocked(threads)) threads.clear();
    if (hangs.due(threads, now, options().hang_timeout_ms)) report_hang(threads);
  }
}

void start_watchdog() {
  pthread_t thread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  if (real_pthread_create(&thread, &attr, watchdog, nullptr) != 0)
    write_all(2, "conc: cannot start the deadlock watchdog; deadlocks and hangs will not be reported\n");
  pthread_attr_destroy(&attr);
}

}  // namespace

bool enabled() { return options().lock_analyses && detection_enabled(); }

engine::LockTable& lock_table() {
  static auto* table = new engine::LockTable;
  return *table;
}

engine::CondBindings& cond_bindings() {
  static auto* bindings = new engine::CondBindings;
  return *bindings;
}

std::string thread_name(engine::Tid tid) { return tid == 0 ? "main thread" : "thread T" + std::to_string(tid); }

void report_misuse(engine::ThreadState* thread, engine::Pc pc, const std::string& detail, uintptr_t object) {
  engine::Report report;
  report.kind = engine::ReportKind::MutexMisuse;
  const engine::Tid tid = g_engine->tid(thread);
  report.detail = detail;
  report.events.push_back({tid, detail + " (" + hex(object) + ") by " + thread_name(tid),
                           object, g_engine->unwind(g_engine->stack_handle(thread, pc))});
  if (std::optional<engine::LockHold> h = lock_table().held(object)) report.events.push_back(taken_here(*h));
  emit(report, false);
}

BlockScope::BlockScope(engine::Wait wait, engine::Pc pc) {
  engine::ThreadState* t = recording_thread();
  if (!t || !enabled()) return;
  RuntimeScope scope;
  wait.stack = g_engine->stack_handle(t, pc);
  tid_ = g_engine->tid(t);
  wait_graph().begin(tid_, wait);
  active_ = true;
}

BlockScope::~BlockScope() {
  if (!active_) return;
  RuntimeScope scope;
  wait_graph().end(tid_);
}

void main_thread_started(engine::Tid tid) { wait_graph().thread_started(tid); }

void thread_created() {
  if (!enabled() || g_watchdog_started.exchange(true, std::memory_order_relaxed)) return;
  start_watchdog();
}

void thread_started(engine::Tid tid) { wait_graph().thread_started(tid); }

void thread_finishing(engine::ThreadState* thread) {
  const engine::Tid tid = g_engine->tid(thread);
  wait_graph().thread_finished(tid);
  if (!enabled()) return;
  engine::Report report;
  report.kind = engine::ReportKind::AbandonedLock;
  for (const engine::LockHold& h : lock_table().held_by(tid))
    if (!h.robust) report.events.push_back(taken_here(h));
  if (report.events.empty()) return;
  report.detail = thread_name(tid) + " finished while holding " + std::to_string(report.events.size()) +
                  " lock(s); whoever locks them next waits forever";
  emit(report, false);
}

void memory_freed(engine::ThreadState* thread, uintptr_t addr, size_t size, engine::Pc pc) {
  if (!enabled()) return;
  for (const engine::LockHold& h : lock_table().erase(addr, size)) {
    engine::Report report;
    report.kind = engine::ReportKind::MutexMisuse;
    const engine::Tid tid = g_engine->tid(thread);
    report.detail = "free of memory holding a locked mutex";
    report.events.push_back({tid, "memory " + hex(addr) + " freed by " + thread_name(tid) + " while lock " +
                                      hex(h.lock) + " in it is held", h.lock,
                             g_engine->unwind(g_engine->stack_handle(thread, pc))});
    report.events.push_back(taken_here(h));
    emit(report, false);
  }
}

// Locks held by other threads that are still running.
std::vector<engine::LockHold> held_by_others(engine::Tid self) {
  std::vector<engine::LockHold> result;
  for (const engine::LockHold& h : lock_table().all_held())
    if (h.owner != self && !h.robust && thread_table().status(h.owner).running) result.push_back(h);
  return result;
}

void before_fork(engine::ThreadState* thread, engine::Pc pc) {
  if (!enabled()) return;
  const engine::Tid tid = g_engine->tid(thread);
  for (const engine::LockHold& h : held_by_others(tid)) {
    engine::Report report;
    report.kind = engine::ReportKind::MutexMisuse;
    report.detail = "fork while another thread holds a lock: in the child it stays locked forever";
    report.events.push_back({tid, "fork by " + thread_name(tid) + " while " + thread_name(h.owner) + " holds lock " +
                                      hex(h.lock), h.lock, g_engine->unwind(g_engine->stack_handle(thread, pc))});
    report.events.push_back(taken_here(h));
    emit(report, false);
  }
}

void run_exit_checks() {
  if (!enabled()) return;
  report_thread_leaks();
  const engine::Tid self = tls.state ? g_engine->tid(tls.state) : 0;
  for (const engine::LockHold& h : held_by_others(self)) {
    engine::Report report;
    report.kind = engine::ReportKind::AbandonedLock;
    report.detail = "the process exits while " + thread_name(h.owner) + " holds a lock";
    report.events.push_back(taken_here(h));
    emit(report, false);
  }
}

}  // namespace conc::rt::locks
