// Lock analyses: report building, the lock table's life-cycle checks,
// livelock streaks, the contention table and the watchdog (deadlocks, hangs,
// starvation).
//
// The watchdog is created with the real pthread_create, so no analysis sees
// it; it blocks every signal, runs with the reentrancy guard set and never
// takes a program lock, only the runtime's spin locks. It samples the
// wait-for graph every kPollMs: a wait cycle (or "every thread blocked")
// made of the same waits (same serials) for the whole timeout cannot have
// moved, because each of its threads stayed inside one blocking call. A lock
// wait older than starvation_ms is starvation when, since the watchdog first
// saw it, another thread took that lock again and again (a greedy thread), or
// nobody took it and its holder, not blocked itself, kept it all along (a
// long critical section).
//
// Livelock needs no watchdog: each failed try-lock of a thread that holds
// another lock extends the thread's streak (a thread-local count, published
// in a RetreatTable), and any acquisition while holding a lock, or of the
// lock it failed on, ends it. Polling a try-lock while holding nothing is
// never a streak.
#include "interceptors/lock_analyses.h"

#include <cxxabi.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <typeinfo>
#include <vector>

#include "abi/options.h"
#include "engine/livelock.h"
#include "reports/format.h"
#include "reports/output.h"
#include "reports/reporter.h"
#include "reports/thread_table.h"

namespace conc::rt::locks {
namespace {

CONC_REAL(pthread_create);

constexpr int kPollMs = 50;
// Starvation: a thread took the lock at least this often during the wait.
constexpr uint64_t kGreedyTakes = 2;
// Livelock: a streak needs this many failed attempts, and to last livelock_ms
// unless it reached the second count.
constexpr uint32_t kLivelockFailures = 10;
constexpr uint32_t kLivelockManyFailures = 100;
// The contention table shows this many locks.
constexpr size_t kContentionRows = 10;

std::atomic<bool> g_watchdog_started{false};
std::atomic<uint32_t> g_live_threads{0};
std::atomic<bool> g_thread_limit_reported{false};

engine::WaitGraph& wait_graph() {
  static auto* graph = new engine::WaitGraph;  // never destroyed: threads outlive static destructors
  return *graph;
}

uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000 + static_cast<uint64_t>(ts.tv_nsec);
}

uint64_t ms(uint64_t ns) { return ns / 1000000; }

engine::RetreatTable& retreats() {
  static auto* table = new engine::RetreatTable;
  return *table;
}

// The calling thread's locks held (any mode) and its current streak of
// failed try-locks; initial-exec like the runtime's own context.
struct Backoff {
  uint32_t held = 0;
  uint32_t failures = 0;
  uint64_t since_ns = 0;
  uintptr_t failed_lock = 0;
};
__thread Backoff tls_backoff __attribute__((tls_model("initial-exec")));

const char* object_name(engine::WaitKind kind) {
  switch (kind) {
    case engine::WaitKind::Lock:
      return "lock";
    case engine::WaitKind::Join:
      return "thread";
    case engine::WaitKind::Cond:
      return "condition variable";
    case engine::WaitKind::Semaphore:
      return "semaphore";
    case engine::WaitKind::Barrier:
      return "barrier";
    case engine::WaitKind::Futex:
      return "futex word";
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
  if (fatal && options().deadlock_exit)
    reporter().on_fatal_report(report);
  else
    reporter().on_report(report);
}

engine::ReportedEvent taken_here(const engine::LockHold& h) {
  return {h.owner,
          std::string(h.shared ? "read lock " : "lock ") + hex(h.lock) + " taken by " + thread_name(h.owner) +
              " here",
          h.lock, g_engine->unwind(h.acquired_at)};
}

// Who a blocked thread waits for: a holder of the lock, the owner or else a
// reader (a timed wait ends by itself, so it waits for nobody), or the thread
// it joins.
std::optional<engine::Tid> waits_for(const engine::ThreadWait& t) {
  if (!t.wait || t.wait->timed) return std::nullopt;
  if (t.wait->kind == engine::WaitKind::Join) return t.wait->target;
  if (t.wait->kind != engine::WaitKind::Lock) return std::nullopt;
  std::optional<engine::LockHold> h = lock_table().holder(t.wait->object);
  if (!h) return std::nullopt;
  return h->owner;
}

std::string describe_wait(const engine::ThreadWait& t) {
  const engine::Wait& w = *t.wait;
  if (w.kind == engine::WaitKind::Join)
    return thread_name(t.tid) + " blocks joining " + thread_name(w.target);
  std::string what = thread_name(t.tid) + " blocks on " + object_name(w.kind) + " " + hex(w.object);
  if (w.kind == engine::WaitKind::Lock)
    if (std::optional<engine::LockHold> h = lock_table().holder(w.object))
      what += std::string(h->shared ? ", read-held by " : ", held by ") + thread_name(h->owner);
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
      if (std::optional<engine::LockHold> h = lock_table().holder(t.wait->object))
        report.events.push_back(taken_here(*h));
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
    key.reserve(waits.size());
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

void report_livelock(const std::vector<engine::Retreat>& streaks, uint64_t now) {
  engine::Report report;
  report.kind = engine::ReportKind::Livelock;
  report.detail = "these threads keep failing try-locks and backing off, and none gets its locks:";
  for (const engine::Retreat& r : streaks) report.detail += " " + thread_name(r.tid) + " ->";
  report.detail += " " + thread_name(streaks.front().tid);
  for (const engine::Retreat& r : streaks)
    report.events.push_back({r.tid,
                             thread_name(r.tid) + " failed " + std::to_string(r.failures) + " times in " +
                                 std::to_string(ms(now - r.since_ns)) + " ms to take lock " + hex(r.lock) +
                                 ", held by " + thread_name(r.blocker) +
                                 ", while holding another lock; latest attempt here",
                             r.lock, g_engine->unwind(r.stack)});
  for (const engine::LockHold& h : lock_table().held_by(streaks.front().tid))
    report.events.push_back(taken_here(h));
  emit(report, false);
}

// `site`: where the lock was created (or first locked), as an event.
engine::ReportedEvent site_event(const engine::LockStats& st, engine::Tid tid) {
  return {tid, "lock " + hex(st.lock) + (st.created ? " created here" : " first locked here"), st.lock,
          g_engine->unwind(st.site)};
}

void report_starvation(const engine::ThreadWait& t, uint64_t waited_ns,
                       const std::vector<std::pair<engine::LockTaker, uint64_t>>& greedy) {
  const uintptr_t lock = t.wait->object;
  std::string names;
  uint64_t takes = 0;
  bool readers = true;
  for (const auto& [taker, n] : greedy) {
    names += (names.empty() ? "" : ", ") + thread_name(taker.tid);
    takes += n;
    readers &= taker.shared;
  }
  engine::Report report;
  report.kind = engine::ReportKind::Starvation;
  report.detail = std::string(readers ? "writer starvation: " : "") + thread_name(t.tid) + " has waited " +
                  std::to_string(ms(waited_ns)) + " ms for lock " + hex(lock) + " while " +
                  (readers ? "its readers (" + names + ")" : names) + " took it " + std::to_string(takes) +
                  " times";
  report.events.push_back({t.tid, thread_name(t.tid) + " waits for lock " + hex(lock) + " here", lock,
                           g_engine->unwind(t.wait->stack)});
  for (const auto& [taker, n] : greedy)
    report.events.push_back({taker.tid,
                             thread_name(taker.tid) + " took lock " + hex(lock) + " " + std::to_string(n) +
                                 (taker.shared ? " times as a reader" : " times") +
                                 " meanwhile, most recently here",
                             lock, g_engine->unwind(taker.last_at)});
  if (std::optional<engine::LockStats> st = lock_table().stats(lock))
    report.events.push_back(site_event(*st, t.tid));
  emit(report, false);
}

void report_long_hold(const engine::ThreadWait& t, uint64_t waited_ns, const engine::LockHold& h) {
  const uintptr_t lock = t.wait->object;
  engine::Report report;
  report.kind = engine::ReportKind::Starvation;
  report.detail = thread_name(t.tid) + " has waited " + std::to_string(ms(waited_ns)) + " ms for lock " +
                  hex(lock) + ", which " + thread_name(h.owner) +
                  " held all that time without blocking: a long critical section keeps the lock's other "
                  "users waiting";
  report.events.push_back({t.tid, thread_name(t.tid) + " waits for lock " + hex(lock) + " here", lock,
                           g_engine->unwind(t.wait->stack)});
  report.events.push_back(taken_here(h));
  if (std::optional<engine::LockStats> st = lock_table().stats(lock))
    report.events.push_back(site_event(*st, t.tid));
  emit(report, false);
}

// What the kernel says of a thread (/proc/self/task/TID/stat): whether it
// is runnable (on a CPU or ready for one) and the CPU time it has used.
struct KernelThreadSample {
  bool known = false;
  bool runnable = false;
  uint64_t cpu_ns = 0;
};

KernelThreadSample sample_kernel_thread(engine::Tid tid) {
  const int os_tid = thread_table().status(tid).os_tid;
  if (os_tid == 0) return {};
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", os_tid);
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char text[1024];
  const ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0) return {};
  text[n] = '\0';
  // "pid (comm) state ppid ...": comm may hold anything, so fields are
  // counted from its closing parenthesis; utime and stime are fields 14, 15.
  const char* field = strrchr(text, ')');
  if (!field) return {};
  KernelThreadSample sample;
  uint64_t ticks = 0;
  for (int i = 3; i <= 15 && field; ++i) {
    field = strchr(field, ' ');
    if (!field) return {};
    ++field;
    if (i == 3) sample.runnable = *field == 'R';
    if (i >= 14) ticks += strtoull(field, nullptr, 10);
  }
  sample.cpu_ns = ticks * (1000000000ULL / static_cast<uint64_t>(sysconf(_SC_CLK_TCK)));
  sample.known = true;
  return sample;
}

// The other thread that has held `t`'s lock since the watchdog first saw the
// wait (`seen_ns`; nobody took the lock meanwhile), while not blocked itself
// without a timeout: a long critical section (sleep, I/O, long work under
// the lock). A blocked holder is the deadlock and hang checks' business. A
// holder that is runnable yet used less than half of that time on a CPU was
// kept off the CPU by the machine's load, not by its own code: not yet.
std::optional<engine::LockHold> long_hold(const engine::ThreadWait& t, const engine::LockActivity& before,
                                          const engine::LockActivity& current,
                                          const std::vector<engine::ThreadWait>& threads, uint64_t seen_ns,
                                          const KernelThreadSample& holder_at_sight, uint64_t now) {
  if (current.acquisitions != before.acquisitions) return std::nullopt;
  std::optional<engine::LockHold> h = lock_table().holder(t.wait->object);
  if (!h || h->owner == t.tid) return std::nullopt;
  for (const engine::ThreadWait& other : threads)
    if (other.tid == h->owner && other.wait && !other.wait->timed) return std::nullopt;
  const KernelThreadSample holder = sample_kernel_thread(h->owner);
  if (holder.known && holder_at_sight.known && holder.runnable &&
      holder.cpu_ns - holder_at_sight.cpu_ns < (now - seen_ns) / 2)
    return std::nullopt;
  return h;
}

// Lock waits the watchdog has seen, with the lock's activity when it first
// saw them; each is reported once.
class StarvationWatch {
 public:
  void check(const std::vector<engine::ThreadWait>& threads, uint64_t now) {
    std::vector<Watched> still;
    for (const engine::ThreadWait& t : threads) {
      if (!t.wait || t.wait->kind != engine::WaitKind::Lock) continue;
      auto it = std::find_if(watched_.begin(), watched_.end(),
                             [&](const Watched& w) { return w.serial == t.wait->serial; });
      Watched w = it != watched_.end() ? *it : first_sight(t, now);
      if (!w.reported &&
          now - t.wait->started_ns >= static_cast<uint64_t>(options().starvation_ms) * 1000000) {
        std::vector<std::pair<engine::LockTaker, uint64_t>> greedy;
        const engine::LockActivity current = activity(t.wait->object);
        for (const engine::LockTaker& taker : current.takers) {
          if (taker.tid == engine::LockHold::kNoOwner || taker.tid == t.tid) continue;
          if (uint64_t n = current.taken_since(w.before, taker.tid); n >= kGreedyTakes)
            greedy.emplace_back(taker, n);
        }
        if (!greedy.empty()) {
          report_starvation(t, now - t.wait->started_ns, greedy);
          w.reported = true;
        } else if (std::optional<engine::LockHold> h =
                       long_hold(t, w.before, current, threads, w.seen_ns, w.holder, now)) {
          report_long_hold(t, now - t.wait->started_ns, *h);
          w.reported = true;
        }
      }
      still.push_back(w);
    }
    watched_ = std::move(still);
  }

 private:
  struct Watched {
    uint64_t serial = 0;
    engine::LockActivity before;
    bool reported = false;
    uint64_t seen_ns = 0;
    KernelThreadSample holder;  // the lock's holder then
  };
  static Watched first_sight(const engine::ThreadWait& t, uint64_t now) {
    Watched w{.serial = t.wait->serial, .before = activity(t.wait->object), .seen_ns = now, .holder = {}};
    if (std::optional<engine::LockHold> h = lock_table().holder(t.wait->object))
      w.holder = sample_kernel_thread(h->owner);
    return w;
  }
  static engine::LockActivity activity(uintptr_t lock) {
    return lock_table().activity(lock).value_or(engine::LockActivity{});
  }
  std::vector<Watched> watched_;
};

void* watchdog(void*) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  ++tls.in_runtime;  // nothing this thread does is the program's
  Persistence cycles, hangs;
  StarvationWatch starvation;
  const timespec interval{0, kPollMs * 1000000L};
  for (;;) {
    nanosleep(&interval, nullptr);
    if (!enabled()) continue;
    std::vector<engine::ThreadWait> threads = wait_graph().snapshot();
    const uint64_t now = ms(now_ns());
    if (options().starvation_ms) starvation.check(threads, now_ns());
    std::vector<engine::ThreadWait> cycle = engine::find_wait_cycle(threads, waits_for);
    if (cycles.due(cycle, now, options().deadlock_timeout_ms)) report_deadlock(cycle);
    if (!engine::all_blocked(threads)) threads.clear();
    if (hangs.due(threads, now, options().hang_timeout_ms)) report_hang(threads);
  }
}

// The contention_report table: the most contended locks with their sites.
void print_contention() {
  const std::vector<engine::LockStats> rows = lock_table().most_contended(kContentionRows);
  engine::Report sites;
  sites.kind = engine::ReportKind::Contention;
  for (const engine::LockStats& st : rows)
    sites.events.push_back({0, "", st.lock, g_engine->unwind(st.site)});
  reporter().print_contention(sites, [&](const ReportView& view) {
    ContentionView table{.pid = view.pid, .locks = {}};
    for (size_t i = 0; i < rows.size(); ++i) {
      const engine::LockStats& st = rows[i];
      table.locks.push_back({st.lock, st.created, st.acquisitions, st.contended, st.total_wait_ns,
                             st.max_wait_ns, st.total_hold_ns, st.max_hold_ns, view.events[i].stack});
    }
    return table;
  });
}

void start_watchdog() {
  pthread_t thread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, size_t{256} * 1024);
  if (real_pthread_create(&thread, &attr, watchdog, nullptr) != 0)
    write_all(2, "conc: cannot start the deadlock watchdog; deadlocks and hangs will not be reported\n");
  pthread_attr_destroy(&attr);
}

// The report of the locks `tid` still holds as it ends (no events: none).
// A robust mutex's next owner is told (EOWNERDEAD), so it is not abandoned.
engine::Report abandoned_locks(engine::Tid tid) {
  engine::Report report;
  report.kind = engine::ReportKind::AbandonedLock;
  for (const engine::LockHold& h : lock_table().held_by(tid))
    if (!h.robust) report.events.push_back(taken_here(h));
  return report;
}

// Why abort() was called, when std::terminate was handling an exception
// (it marks the exception caught before calling the terminate handler).
std::string terminate_cause() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (!type) return "";
  int status = 0;
  char* name = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
  std::string cause = " (std::terminate: no handler caught an exception of type " +
                      std::string(status == 0 && name ? name : type->name()) + ")";
  free(name);
  return cause;
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

std::string thread_name(engine::Tid tid) {
  return tid == 0 ? "main thread" : "thread T" + std::to_string(tid);
}

void report_misuse(engine::ThreadState* thread, engine::Pc pc, const std::string& detail, uintptr_t object) {
  engine::Report report;
  report.kind = engine::ReportKind::MutexMisuse;
  const engine::Tid tid = g_engine->tid(thread);
  report.detail = detail;
  report.events.push_back({tid, detail + " (" + hex(object) + ") by " + thread_name(tid), object,
                           g_engine->unwind(g_engine->stack_handle(thread, pc))});
  if (std::optional<engine::LockHold> h = lock_table().held(object)) report.events.push_back(taken_here(*h));
  emit(report, false);
}

BlockScope::BlockScope(engine::Wait wait, engine::Pc pc) {
  engine::ThreadState* t = recording_thread();
  if (!t || !enabled()) return;
  RuntimeScope scope;
  wait.stack = g_engine->stack_handle(t, pc);
  wait.started_ns = started_ns_ = now_ns();
  tid_ = g_engine->tid(t);
  wait_graph().begin(tid_, wait);
  active_ = true;
}

BlockScope::~BlockScope() {
  if (!active_) return;
  RuntimeScope scope;
  wait_graph().end(tid_);
}

Blocked BlockScope::blocked() const { return active_ ? Blocked{true, now_ns() - started_ns_} : Blocked{}; }

void lock_acquired(engine::ThreadState* thread, uintptr_t lock, bool shared, bool robust, Blocked blocked,
                   engine::Pc pc) {
  const engine::Tid tid = g_engine->tid(thread);
  lock_table().acquired(lock, {.owner = tid,
                               .stack = g_engine->stack_handle(thread, pc),
                               .robust = robust,
                               .shared = shared,
                               .waited = blocked.waited,
                               .wait_ns = blocked.ns,
                               .now_ns = options().contention_report && !shared ? now_ns() : 0});
  Backoff& b = tls_backoff;
  // Holding two locks at once, or the one it kept failing on: the set it
  // backed off from is in hand.
  if (++b.held >= 2 || lock == b.failed_lock) {
    if (b.failures) retreats().clear(tid);
    b.failures = 0;
    b.failed_lock = 0;
  }
}

void lock_releasing(engine::ThreadState* thread, uintptr_t lock, bool shared) {
  if (tls_backoff.held) --tls_backoff.held;
  if (shared)
    lock_table().released_shared(lock, g_engine->tid(thread));
  else
    lock_table().released(lock, g_engine->tid(thread), options().contention_report ? now_ns() : 0);
}

void try_lock_failed(engine::ThreadState* thread, uintptr_t lock, engine::Pc pc) {
  Backoff& b = tls_backoff;
  if (!options().livelock_ms || b.held == 0) return;  // polling while holding nothing is no back-off
  const uint64_t now = now_ns();
  if (b.failures++ == 0) b.since_ns = now;
  b.failed_lock = lock;
  engine::Retreat streak{.tid = g_engine->tid(thread),
                         .lock = lock,
                         .failures = b.failures,
                         .since_ns = b.since_ns,
                         .stack = g_engine->stack_handle(thread, pc)};
  if (std::optional<engine::LockHold> h = lock_table().held(lock)) {
    streak.blocker = h->owner;
    streak.has_blocker = true;
  }
  const engine::RetreatTable::Rule rule{static_cast<uint64_t>(options().livelock_ms) * 1000000,
                                        kLivelockFailures, kLivelockManyFailures};
  if (std::optional<std::vector<engine::Retreat>> livelock = retreats().failed(streak, now, rule))
    report_livelock(*livelock, now);
}

void self_deadlock_ahead() { thread_created(); }

void main_thread_started(engine::Tid tid) {
  wait_graph().thread_started(tid);
  g_live_threads.fetch_add(1, std::memory_order_relaxed);
}

void thread_created() {
  if (!enabled() || g_watchdog_started.exchange(true, std::memory_order_relaxed)) return;
  start_watchdog();
}

void thread_started(engine::Tid tid) {
  wait_graph().thread_started(tid);
  const uint32_t live = g_live_threads.fetch_add(1, std::memory_order_relaxed) + 1;
  const int limit = options().max_threads;
  if (!enabled() || limit == 0 || live <= static_cast<uint32_t>(limit) ||
      g_thread_limit_reported.exchange(true, std::memory_order_relaxed))
    return;
  engine::Report report;
  report.kind = engine::ReportKind::ThreadLeak;
  report.detail = std::to_string(live) +
                  " threads alive at once, more than max_threads=" + std::to_string(limit) +
                  ": threads seem to be created without a bound (one per request or task)";
  report.events.push_back({tid,
                           thread_name(tid) + " was created here, as thread number " + std::to_string(live),
                           0, g_engine->thread_info(tid).created_at});
  emit(report, false);
}

void thread_finishing(engine::ThreadState* thread) {
  const engine::Tid tid = g_engine->tid(thread);
  wait_graph().thread_finished(tid);
  g_live_threads.fetch_sub(1, std::memory_order_relaxed);
  if (tls_backoff.failures) retreats().clear(tid);
  if (!enabled()) return;
  engine::Report report = abandoned_locks(tid);
  if (report.events.empty()) return;
  report.detail = thread_name(tid) + " finished while holding " + std::to_string(report.events.size()) +
                  " lock(s); whoever locks them next waits forever";
  emit(report, false);
}

void aborting(engine::ThreadState* thread) {
  if (!enabled()) return;
  const engine::Tid tid = g_engine->tid(thread);
  engine::Report report = abandoned_locks(tid);
  if (report.events.empty()) return;
  report.detail = thread_name(tid) + " ended the process with abort()" + terminate_cause() +
                  " while holding " + std::to_string(report.events.size()) +
                  " lock(s), which nobody will release";
  add_threads(report);
  reporter().on_fatal_report(report);
}

void memory_freed(engine::ThreadState* thread, uintptr_t addr, size_t size, engine::Pc pc) {
  if (!enabled()) return;
  for (const engine::LockHold& h : lock_table().erase(addr, size)) {
    engine::Report report;
    report.kind = engine::ReportKind::MutexMisuse;
    const engine::Tid tid = g_engine->tid(thread);
    report.detail = "free of memory holding a locked mutex";
    report.events.push_back({tid,
                             "memory " + hex(addr) + " freed by " + thread_name(tid) + " while lock " +
                                 hex(h.lock) + " in it is held",
                             h.lock, g_engine->unwind(g_engine->stack_handle(thread, pc))});
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
    report.events.push_back(
        {tid, "fork by " + thread_name(tid) + " while " + thread_name(h.owner) + " holds lock " + hex(h.lock),
         h.lock, g_engine->unwind(g_engine->stack_handle(thread, pc))});
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
  if (options().contention_report) print_contention();
}

}  // namespace conc::rt::locks
