// LockTable and CondBindings: short critical sections under one spin lock per
// shard (or table), never calling out.
#include "engine/lock_state.h"

#include <algorithm>

#include "engine/hash.h"

namespace conc::engine {

LockTable::Shard& LockTable::shard_of(Shard* shards, uintptr_t addr) {
  return shards[hash_mix(addr >> 12) % kShards];
}

void LockTable::acquired(uintptr_t lock, Tid owner, uint32_t acquired_at, bool robust) {
  Shard& s = shard_of(shards_, lock);
  SpinGuard guard(s.lock);
  LockHold& h = s.holds[lock];
  h.lock = lock;
  h.robust = robust;
  if (h.owner == owner) {
    ++h.depth;
    return;
  }
  // A new owner: the previous one released it, died (robust) or the lock was
  // taken by code the runtime did not see.
  h.owner = owner;
  h.depth = 1;
  h.acquired_at = acquired_at;
}

bool LockTable::released(uintptr_t lock, Tid owner) {
  Shard& s = shard_of(shards_, lock);
  SpinGuard guard(s.lock);
  auto it = s.holds.find(lock);
  if (it == s.holds.end() || it->second.owner != owner) return false;
  if (--it->second.depth == 0) it->second.owner = LockHold::kNoOwner;
  return true;
}

std::optional<LockHold> LockTable::held(uintptr_t lock) const {
  Shard& s = shard_of(const_cast<Shard*>(shards_), lock);
  SpinGuard guard(s.lock);
  auto it = s.holds.find(lock);
  if (it == s.holds.end() || it->second.owner == LockHold::kNoOwner) return std::nullopt;
  return it->second;
}

template <typename Keep> std::vector<LockHold> LockTable::collect(Keep keep) const {
  std::vector<LockHold> result;
  for (const Shard& s : shards_) {
    SpinGuard guard(s.lock);
    for (const auto& [addr, h] : s.holds)
      if (h.owner != LockHold::kNoOwner && keep(h)) result.push_back(h);
  }
  return result;
}

std::vector<LockHold> LockTable::held_by(Tid owner) const {
  return collect([owner](const LockHold& h) { return h.owner == owner; });
}

std::vector<LockHold> LockTable::all_held() const {
  return collect([](const LockHold&) { return true; });
}

std::vector<LockHold> LockTable::erase(uintptr_t addr, size_t size) {
  std::vector<LockHold> held;
  const uintptr_t end = addr + (size ? size : 1);
  // Each page of the range once; a shard may come up for several pages.
  for (uintptr_t page = addr >> 12; page <= (end - 1) >> 12; ++page) {
    Shard& s = shard_of(shards_, page << 12);
    SpinGuard guard(s.lock);
    const uintptr_t from = std::max(addr, page << 12), to = std::min(end, (page + 1) << 12);
    for (auto it = s.holds.lower_bound(from); it != s.holds.end() && it->first < to;) {
      if (it->second.owner != LockHold::kNoOwner) held.push_back(it->second);
      it = s.holds.erase(it);
    }
  }
  return held;
}

uintptr_t CondBindings::wait_begins(uintptr_t cond, uintptr_t mutex) {
  SpinGuard guard(lock_);
  Binding& b = bindings_[cond];
  if (b.waiters++ == 0) b.mutex = mutex;
  return b.mutex == mutex ? 0 : b.mutex;
}

void CondBindings::wait_ends(uintptr_t cond) {
  SpinGuard guard(lock_);
  auto it = bindings_.find(cond);
  if (it != bindings_.end() && --it->second.waiters == 0) bindings_.erase(it);
}

}  // namespace conc::engine
