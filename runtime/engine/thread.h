// Per-thread detector state (ThreadState) and the registry that hands out
// thread ids and the dense, reusable slots that index vector clocks.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/shadow.h"
#include "engine/spin_lock.h"
#include "engine/stack_depot.h"
#include "engine/sync.h"
#include "engine/trace.h"

namespace conc::engine {

struct HeldLock {
  uintptr_t addr;
  StackId acquired_at;
  bool shared;
};

struct ThreadState {
  static constexpr unsigned kMaxHeldLocks = 64;
  static constexpr unsigned kEdgeCacheSize = 64;
  static constexpr uint32_t kFinished = 1, kDetached = 2;
  static constexpr Epoch kMaxEpoch = ~Epoch{0};

  Tid tid = 0;
  Slot slot = 0;
  VectorClock clock;                           // clock.get(slot) is this thread's current epoch
  uint64_t cell_base = 0;                      // slot and epoch pre-encoded for shadow cells
  const Shadow::ChunkTable* shadow = nullptr;  // the engine's, for the inlined access fast path
  bool accessed_in_epoch = false;              // a shadow cell was stored at the current epoch
  int ignore = 0;
  TraceWriter trace;  // into the slot's trace; before `stack`'s 64 KiB, near the hot fields
  ShadowStack stack;

  // Fences: clocks seen by relaxed loads since the last acquire fence, and the
  // clock as of the last release fence (carried by later relaxed stores).
  VectorClock fence_acquire;
  VectorClock fence_release;
  bool has_fence_release = false;
  SyncRef atomic_op;  // the location locked between atomic_before and atomic_after

  // Locks held, for the lock-order graph; past kMaxHeldLocks only counted.
  HeldLock held[kMaxHeldLocks];
  unsigned held_count = 0;
  unsigned held_overflow = 0;
  uint64_t edge_cache[kEdgeCacheSize] = {};  // hashes of lock-order edges already added
  uint64_t edge_cache_generation = 0;        // LockGraph::generation() the cache is valid for

  std::atomic<uint32_t> lifecycle{0};  // kFinished | kDetached

  Epoch epoch() const { return clock.get(slot); }
  // Starts a new epoch: called after every release so later accesses are not
  // covered by the clock just published. A slot that used up its epochs
  // saturates: later accesses then count as part of the last epoch, which can
  // hide races (never invent them, as wrapping around would).
  void tick() {
    if (epoch() == kMaxEpoch) return;
    clock.set(slot, epoch() + 1);
    cell_base = cell::base(slot, epoch());
    accessed_in_epoch = false;
  }
};

// Slots are reused, and a new occupant continues the slot's epoch sequence so
// cells of the old occupant stay comparable. A free slot is reused soundly
// when the creating thread already knows the old occupant's last event (it
// joined it, or synchronized with it after its last access): then nothing the
// new thread inherits is false. Otherwise a fresh slot is taken while fewer
// than kSoftSlots exist; past that the oldest free slot is reused and the new
// thread acquires the old occupant's final clock, which can hide races
// between the old occupant and threads that later synchronize with the new
// one (never creates false reports).
class ThreadRegistry {
 public:
  static constexpr Slot kSoftSlots = 256;

  ThreadRegistry() = default;
  ~ThreadRegistry();
  ThreadRegistry(const ThreadRegistry&) = delete;
  ThreadRegistry& operator=(const ThreadRegistry&) = delete;

  // The child starts with the parent's clock; the caller ticks the parent.
  ThreadState* create(ThreadState* parent, StackId created_at);
  // Frees the slot of a finished thread and deletes its state.
  void retire(ThreadState* thread);
  // The thread that occupied `slot` at `epoch`.
  Tid tid_at(Slot slot, Epoch epoch) const;
  // The event trace of every occupant of `slot` (never freed before the
  // registry); nullptr for a slot that does not exist.
  const Trace* trace(Slot slot) const;
  ThreadInfo info(Tid tid, const StackDepot& depot) const;
  Slot slot_count() const;
  // What is wrong with `thread`'s state as the registry knows it (see
  // Engine::set_verify), or nullptr when nothing is.
  const char* inconsistency(const ThreadState* thread) const;

 private:
  struct SlotRecord {
    Epoch last = 0;        // final epoch of the last finished occupant
    Epoch last_event = 0;  // the epoch of its last recorded access
    ThreadState* occupant = nullptr;
    VectorClock final_clock;                       // of the last finished occupant
    std::vector<std::pair<Epoch, Tid>> occupants;  // (first epoch, tid), ascending
    std::unique_ptr<Trace> trace = std::make_unique<Trace>();
  };
  struct ThreadRecord {
    Tid parent;
    StackId created_at;
  };
  Slot pick_slot(const ThreadState* parent, bool& inherit_final_clock);
  static Tid occupant_at(const SlotRecord& rec, Epoch epoch);

  mutable SpinLock lock_;
  std::vector<SlotRecord> slots_;
  std::vector<Slot> free_;  // oldest first
  std::vector<ThreadRecord> threads_;
};

}  // namespace conc::engine
