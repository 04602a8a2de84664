#include "engine/thread.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace conc::engine {

ThreadRegistry::~ThreadRegistry() {
  for (SlotRecord& s : slots_) delete s.occupant;
}

Slot ThreadRegistry::pick_slot(const ThreadState* parent, bool& inherit_final_clock) {
  inherit_final_clock = false;
  for (size_t i = 0; parent && i < free_.size(); ++i) {
    const Slot s = free_[i];
    if (slots_[s].last_event <= parent->clock.get(s)) {
      free_.erase(free_.begin() + static_cast<ptrdiff_t>(i));
      return s;
    }
  }
  if (slots_.size() < kSoftSlots || free_.empty()) {
    if (slots_.size() >= cell::kMaxSlots) {
      static const char kMsg[] = "conc: more than 2^20 simultaneously live threads\n";
      (void)!write(2, kMsg, sizeof kMsg - 1);
      abort();
    }
    slots_.emplace_back();
    return static_cast<Slot>(slots_.size() - 1);
  }
  const Slot s = free_.front();
  free_.erase(free_.begin());
  inherit_final_clock = true;
  return s;
}

ThreadState* ThreadRegistry::create(ThreadState* parent, StackId created_at) {
  auto* t = new ThreadState;
  SpinGuard guard(lock_);
  t->tid = static_cast<Tid>(threads_.size());
  threads_.push_back({parent ? parent->tid : 0, created_at});
  bool inherit = false;
  t->slot = pick_slot(parent, inherit);
  SlotRecord& rec = slots_[t->slot];
  if (parent) t->clock = parent->clock;
  if (inherit) t->clock.join(rec.final_clock);
  rec.final_clock.clear();
  rec.occupant = t;
  t->trace.attach(rec.trace.get());
  t->clock.set(t->slot, rec.last + 1);
  t->cell_base = cell::base(t->slot, t->epoch());
  rec.occupants.emplace_back(t->epoch(), t->tid);
  return t;
}

void ThreadRegistry::retire(ThreadState* thread) {
  {
    SpinGuard guard(lock_);
    SlotRecord& rec = slots_[thread->slot];
    rec.last = thread->epoch();
    rec.last_event = thread->accessed_in_epoch ? rec.last : rec.last - 1;
    rec.final_clock = std::move(thread->clock);
    rec.occupant = nullptr;
    // A saturated slot has no epochs left for another occupant.
    if (rec.last != ThreadState::kMaxEpoch) free_.push_back(thread->slot);
  }
  delete thread;
}

Tid ThreadRegistry::tid_at(Slot slot, Epoch epoch) const {
  SpinGuard guard(lock_);
  return slot < slots_.size() ? occupant_at(slots_[slot], epoch) : 0;
}

const Trace* ThreadRegistry::trace(Slot slot) const {
  SpinGuard guard(lock_);
  return slot < slots_.size() ? slots_[slot].trace.get() : nullptr;
}

// The last occupant of the slot whose first epoch is <= epoch (0 if none).
Tid ThreadRegistry::occupant_at(const SlotRecord& rec, Epoch epoch) {
  auto it = std::upper_bound(rec.occupants.begin(), rec.occupants.end(), epoch,
                             [](Epoch e, const std::pair<Epoch, Tid>& o) { return e < o.first; });
  return it == rec.occupants.begin() ? 0 : std::prev(it)->second;
}

ThreadInfo ThreadRegistry::info(Tid tid, const StackDepot& depot) const {
  ThreadInfo info;
  info.tid = tid;
  StackId created_at = 0;
  {
    SpinGuard guard(lock_);
    if (tid < threads_.size()) {
      info.parent = threads_[tid].parent;
      created_at = threads_[tid].created_at;
    }
  }
  info.created_at = depot.unwind(created_at);
  return info;
}

const char* ThreadRegistry::inconsistency(const ThreadState* thread) const {
  SpinGuard guard(lock_);
  if (thread->tid >= threads_.size()) return "has a thread id that was never handed out";
  if (thread->slot >= slots_.size()) return "has a slot that does not exist";
  const SlotRecord& rec = slots_[thread->slot];
  if (rec.occupant != thread) return "does not occupy its slot (a state used after its thread was retired?)";
  if (occupant_at(rec, thread->epoch()) != thread->tid)
    return "has a slot and epoch that name another thread";
  if (thread->cell_base != cell::base(thread->slot, thread->epoch()))
    return "has a shadow cell base that does not match its slot and epoch";
  if (thread->held_count > ThreadState::kMaxHeldLocks) return "counts more held locks than it can hold";
  return nullptr;
}

Slot ThreadRegistry::slot_count() const {
  SpinGuard guard(lock_);
  return static_cast<Slot>(slots_.size());
}

}  // namespace conc::engine
