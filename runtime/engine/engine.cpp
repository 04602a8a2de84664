// The Engine facade: turns events into clock, shadow, heap and lock-graph
// updates, and builds reports outside every internal lock.
#include "engine/engine.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>

#include "engine/fast_path.h"
#include "engine/hash.h"
#include "engine/heap.h"
#include "engine/lock_graph.h"
#include "engine/shadow.h"
#include "engine/stack_depot.h"
#include "engine/sync.h"
#include "engine/thread.h"

namespace conc::engine {
namespace {

bool acquires(MemoryOrder mo) {
  return mo == MemoryOrder::Consume || mo == MemoryOrder::Acquire || mo == MemoryOrder::AcqRel ||
         mo == MemoryOrder::SeqCst;
}

bool releases(MemoryOrder mo) {
  return mo == MemoryOrder::Release || mo == MemoryOrder::AcqRel || mo == MemoryOrder::SeqCst;
}

}  // namespace

struct Engine::Impl final : RaceSink {
  explicit Impl(ReportSink& s) : sink(s) {}

  ReportSink& sink;
  StackDepot depot;
  Shadow shadow{*this};
  SyncTable sync;
  HeapTable heap;
  ThreadRegistry threads;
  LockGraph graph;
  SpinLock reported_lock;
  std::set<std::pair<Pc, Pc>> reported_races;
  std::set<Pc> reported_pcs;  // every pc of reported_races
  bool verify = false;

  // See Engine::set_verify.
  __attribute__((always_inline)) void check(const ThreadState* t, const char* event) const {
    if (__builtin_expect(verify, 0)) verify_state(t, event);
  }
  __attribute__((noinline, cold)) void verify_state(const ThreadState* t, const char* event) const {
    const char* problem = threads.inconsistency(t);
    if (!problem) return;
    const std::string message = "conc: verify: at " + std::string(event) + ", thread T" +
                                std::to_string(t->tid) + " " + problem + "\n";
    (void)!::write(STDERR_FILENO, message.data(), message.size());
    std::abort();
  }

  void access(ThreadState* t, uintptr_t addr, size_t size, Pc pc, uint64_t flags) {
    shadow.access(*t, addr, size, pc, flags);
  }
  void on_race(ThreadState& t, uintptr_t addr, size_t size, Pc pc, uint64_t flags,
               const RaceInfo& race) override {
    report_race(&t, addr, size, pc, flags, race);
  }

  // Forgets everything about memory that now holds something new.
  void forget_range(uintptr_t addr, size_t size) {
    shadow.reset(addr, size);
    for (uintptr_t lock : sync.erase(addr, size)) graph.remove(lock);
  }

  void add_thread(Report& report, Tid tid) {
    for (const ThreadInfo& t : report.threads) {
      if (t.tid == tid) return;
    }
    report.threads.push_back(threads.info(tid, depot));
  }

  // The earlier access's stack comes from its slot's trace; it is empty when
  // the trace no longer holds the access (reports say so). Such a race is
  // reported only for a pc that no report named yet: it would add nothing.
  void report_race(ThreadState* t, uintptr_t addr, size_t size, Pc pc, uint64_t flags, const RaceInfo& race) {
    const Slot slot = cell::slot(race.cell);
    const Epoch epoch = cell::epoch(race.cell);
    const Trace* trace = threads.trace(slot);
    Stack earlier = trace ? trace->find(epoch, race.addr & ~uintptr_t{7}, race.cell) : Stack{};
    const Pc earlier_pc = earlier.empty() ? 0 : earlier.front();
    {
      SpinGuard guard(reported_lock);
      if (!earlier_pc && reported_pcs.contains(pc)) return;
      if (!reported_races.insert(std::minmax(pc, earlier_pc)).second) return;
      reported_pcs.insert(pc);
      if (earlier_pc) reported_pcs.insert(earlier_pc);
    }
    Report report;
    report.kind = ReportKind::DataRace;
    report.accesses.push_back({t->tid, addr, size, (flags & cell::kWrite) != 0, (flags & cell::kAtomic) != 0,
                               t->stack.current(pc)});
    const Tid earlier_tid = threads.tid_at(slot, epoch);
    report.accesses.push_back({earlier_tid, race.addr, race.size, (race.cell & cell::kWrite) != 0,
                               (race.cell & cell::kAtomic) != 0, std::move(earlier)});
    add_thread(report, t->tid);
    add_thread(report, earlier_tid);
    if (auto block = heap.find(addr)) {
      report.has_heap_block = true;
      report.heap_block = {block->addr, block->size, block->tid, depot.unwind(block->allocated_at)};
      add_thread(report, block->tid);
    }
    sink.on_report(report);
  }

  void report_cycle(const std::vector<CycleEdge>& cycle) {
    Report report;
    report.kind = ReportKind::LockOrderInversion;
    for (const CycleEdge& e : cycle) {
      report.cycle.push_back({e.from, e.to, e.variant.tid, depot.unwind(e.variant.from_acquired_at),
                              depot.unwind(e.variant.to_acquired_at)});
      add_thread(report, e.variant.tid);
    }
    sink.on_report(report);
  }

  // Edges held -> mutex for every tracked held lock; reports new cycles.
  void add_lock_edges(ThreadState* t, uintptr_t mutex, bool shared, StackId acquired_at) {
    const uint64_t generation = graph.generation();
    if (t->edge_cache_generation != generation) {
      std::fill(std::begin(t->edge_cache), std::end(t->edge_cache), 0);
      t->edge_cache_generation = generation;
    }
    for (unsigned i = 0; i < t->held_count; ++i) {
      const HeldLock& from = t->held[i];
      if (from.addr == mutex) continue;
      EdgeVariant v{t->tid, from.shared, shared, from.acquired_at, acquired_at, {}};
      for (unsigned j = 0; j < t->held_count; ++j) {
        const HeldLock& g = t->held[j];
        if (g.addr != from.addr && g.addr != mutex) v.gates.push_back({g.addr, g.shared});
      }
      std::sort(v.gates.begin(), v.gates.end(), [](const Gate& a, const Gate& b) {
        return a.lock != b.lock ? a.lock < b.lock : a.shared < b.shared;
      });
      v.gates.erase(std::unique(v.gates.begin(), v.gates.end()), v.gates.end());
      uint64_t key = hash_combine(hash_combine(from.addr, mutex), from.shared * 2 + shared);
      for (const Gate& g : v.gates) key = hash_combine(key, g.lock * 2 + g.shared);
      key |= 1;  // 0 marks an empty cache entry
      uint64_t& cached = t->edge_cache[(key >> 1) % ThreadState::kEdgeCacheSize];
      if (cached == key) continue;
      cached = key;
      for (const auto& cycle : graph.add_edge(from.addr, mutex, std::move(v))) report_cycle(cycle);
    }
  }
};

Engine::Engine(ReportSink& sink) : impl_(std::make_unique<Impl>(sink)) {}
Engine::~Engine() = default;

void Engine::set_verify(bool on) { impl_->verify = on; }

ThreadState* Engine::thread_create(ThreadState* parent, Pc pc) {
  if (parent) impl_->check(parent, "thread_create");
  const StackId created_at = parent ? parent->stack.id(impl_->depot, pc) : 0;
  ThreadState* child = impl_->threads.create(parent, created_at);
  child->shadow = impl_->shadow.table();
  if (parent) parent->tick();
  return child;
}

// Nothing to do: the child's clock and stack were set up by thread_create,
// which happens before the child runs.
void Engine::thread_start(ThreadState*) {}

void Engine::thread_finish(ThreadState* thread) {
  impl_->check(thread, "thread_finish");
  if (thread->lifecycle.fetch_or(ThreadState::kFinished, std::memory_order_acq_rel) &
      ThreadState::kDetached) {
    impl_->threads.retire(thread);
  }
}

void Engine::thread_join(ThreadState* joiner, ThreadState* joined) {
  impl_->check(joiner, "thread_join");
  impl_->check(joined, "thread_join (the joined thread)");
  joiner->clock.join(joined->clock);
  impl_->threads.retire(joined);
}

void Engine::thread_detach(ThreadState* thread) {
  if (thread->lifecycle.fetch_or(ThreadState::kDetached, std::memory_order_acq_rel) &
      ThreadState::kFinished) {
    impl_->threads.retire(thread);
  }
}

Tid Engine::tid(const ThreadState* thread) const { return thread->tid; }

void Engine::func_entry(ThreadState* thread, Pc return_pc) {
  if (engine::func_entry(*thread, return_pc)) return;
  thread->trace.next_part(*thread);
  engine::func_entry(*thread, return_pc);
}

void Engine::func_exit(ThreadState* thread) {
  if (engine::func_exit(*thread)) return;
  thread->trace.next_part(*thread);
  engine::func_exit(*thread);
}
unsigned Engine::stack_depth(const ThreadState* thread) const { return thread->stack.depth(); }
void Engine::stack_unwind(ThreadState* thread, unsigned depth) {
  thread->trace.put(*thread, event::make(event::kUnwind, depth));
  thread->stack.unwind_to(depth);
}

void Engine::read(ThreadState* thread, uintptr_t addr, size_t size, Pc pc) {
  impl_->check(thread, "read");
  if (__builtin_expect(thread->ignore == 0, 1)) impl_->access(thread, addr, size, pc, 0);
}

void Engine::write(ThreadState* thread, uintptr_t addr, size_t size, Pc pc) {
  impl_->check(thread, "write");
  if (__builtin_expect(thread->ignore == 0, 1)) impl_->access(thread, addr, size, pc, cell::kWrite);
}

void Engine::atomic_before(ThreadState* thread, uintptr_t addr, size_t size, AtomicKind kind,
                           MemoryOrder order, Pc pc) {
  impl_->check(thread, "atomic");
  // Shadow first, with no lock held (a report may run the sink) and at the
  // epoch before any release this operation performs.
  impl_->access(thread, addr, size, pc, cell::kAtomic | (kind == AtomicKind::Load ? 0 : cell::kWrite));
  // The location stays locked until atomic_after, so the clock update and
  // the operation happen as one.
  const bool may_release = kind != AtomicKind::Load && (releases(order) || thread->has_fence_release);
  thread->atomic_op = impl_->sync.lock(addr, may_release);
}

void Engine::atomic_after(ThreadState* thread, uintptr_t addr, AtomicKind kind, MemoryOrder order) {
  // An operation that does not create the location's sync object found none
  // before it ran; a first release store (which creates one) may have come
  // in between and be what it read. Look again and acquire what is there now
  // (if the operation read an older value, that orders too much: a race can
  // be missed in this window, none invented). A store never acquires, and
  // ending a release sequence it may not follow could invent one: skipped.
  if (!thread->atomic_op.var && kind != AtomicKind::Store) thread->atomic_op = impl_->sync.lock(addr, false);
  SyncVar* var = thread->atomic_op.var;
  bool released = false;
  if (var) {
    if (kind != AtomicKind::Store) {
      // Relaxed reads feed a later acquire fence instead.
      (acquires(order) ? thread->clock : thread->fence_acquire).join(var->clock);
    }
    if (kind != AtomicKind::Load) {
      // A store starts a new release sequence (replaces the clock); an RMW
      // continues the current one (joins).
      const VectorClock* clock = releases(order)             ? &thread->clock
                                 : thread->has_fence_release ? &thread->fence_release
                                                             : nullptr;
      if (kind == AtomicKind::Store) {
        if (clock) {
          var->clock = *clock;
        } else {
          var->clock.clear();
        }
      } else if (clock) {
        var->clock.join(*clock);
      }
      released = releases(order);
    }
  }
  SyncTable::unlock(thread->atomic_op);
  if (released) thread->tick();
}

void Engine::fence(ThreadState* thread, MemoryOrder order) {
  impl_->check(thread, "fence");
  if (acquires(order)) {
    thread->clock.join(thread->fence_acquire);
    thread->fence_acquire.clear();
  }
  if (releases(order)) {
    thread->fence_release = thread->clock;
    thread->has_fence_release = true;
    thread->tick();
  }
}

void Engine::acquire(ThreadState* thread, uintptr_t sync) {
  impl_->check(thread, "acquire");
  SyncGuard guard(impl_->sync, sync, false);
  if (guard.var()) thread->clock.join(guard.var()->clock);
}

void Engine::release(ThreadState* thread, uintptr_t sync) {
  impl_->check(thread, "release");
  {
    SyncGuard guard(impl_->sync, sync, true);
    guard.var()->clock.join(thread->clock);
  }
  thread->tick();
}

void Engine::mutex_create(ThreadState*, uintptr_t mutex, Pc) { mutex_destroy(nullptr, mutex); }

void Engine::mutex_destroy(ThreadState*, uintptr_t mutex) {
  impl_->sync.erase(mutex, 1);
  impl_->graph.remove(mutex);
}

void Engine::mutex_lock(ThreadState* thread, uintptr_t mutex, LockFlags flags, Pc pc) {
  impl_->check(thread, "mutex_lock");
  const StackId acquired_at = thread->stack.id(impl_->depot, pc);
  {
    SyncGuard guard(impl_->sync, mutex, true);
    thread->clock.join(guard.var()->clock);
    // A writer must also follow every reader that unlocked before it.
    if (!flags.shared) thread->clock.join(guard.var()->read_clock);
    guard.var()->in_lock_graph = true;
  }
  // Re-entering a recursive mutex this thread already holds cannot block, so
  // it orders nothing: edges from the locks taken since would make the
  // common pattern lock(R); lock(A); lock(R) look like an inversion.
  const bool reentry =
      !flags.shared && std::any_of(thread->held, thread->held + thread->held_count,
                                   [&](const HeldLock& h) { return h.addr == mutex && !h.shared; });
  if (!flags.try_lock && !reentry) impl_->add_lock_edges(thread, mutex, flags.shared, acquired_at);
  if (thread->held_count < ThreadState::kMaxHeldLocks) {
    thread->held[thread->held_count++] = {mutex, acquired_at, flags.shared};
  } else {
    ++thread->held_overflow;
  }
}

void Engine::mutex_unlock(ThreadState* thread, uintptr_t mutex, bool shared, Pc) {
  impl_->check(thread, "mutex_unlock");
  {
    SyncGuard guard(impl_->sync, mutex, true);
    (shared ? guard.var()->read_clock : guard.var()->clock).join(thread->clock);
  }
  thread->tick();
  for (unsigned i = thread->held_count; i > 0; --i) {
    if (thread->held[i - 1].addr != mutex) continue;
    std::copy(thread->held + i, thread->held + thread->held_count, thread->held + i - 1);
    --thread->held_count;
    return;
  }
  if (thread->held_overflow) --thread->held_overflow;
}

void Engine::alloc(ThreadState* thread, uintptr_t addr, size_t size, Pc pc) {
  impl_->check(thread, "alloc");
  impl_->forget_range(addr, size);
  impl_->heap.insert({addr, size, thread->tid, thread->stack.id(impl_->depot, pc)});
}

void Engine::free(ThreadState*, uintptr_t addr, Pc) {
  if (auto block = impl_->heap.erase(addr)) impl_->forget_range(block->addr, block->size);
}

void Engine::forget_memory(uintptr_t addr, size_t size) { impl_->forget_range(addr, size); }

uint32_t Engine::stack_handle(ThreadState* thread, Pc pc) { return thread->stack.id(impl_->depot, pc); }
Stack Engine::unwind(uint32_t handle) const { return impl_->depot.unwind(handle); }
ThreadInfo Engine::thread_info(Tid tid) const { return impl_->threads.info(tid, impl_->depot); }

std::vector<LockEdge> Engine::lock_order_edges() const {
  std::vector<LockEdge> edges;
  for (const CycleEdge& e : impl_->graph.history())
    edges.push_back({e.from, e.to, e.variant.tid, impl_->depot.unwind(e.variant.from_acquired_at),
                     impl_->depot.unwind(e.variant.to_acquired_at)});
  return edges;
}

void Engine::ignore_begin(ThreadState* thread) { ++thread->ignore; }
void Engine::ignore_end(ThreadState* thread) {
  if (thread->ignore > 0) --thread->ignore;
}

}  // namespace conc::engine
