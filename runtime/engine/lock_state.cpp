// LockTable and CondBindings: short critical sections under one spin lock per
// shard (or table), never calling out.
#include "engine/lock_state.h"

#include <algorithm>

#include "engine/hash.h"

namespace conc::engine {

LockTable::Shard& LockTable::shard_of(Shard* shards, uintptr_t addr) {
  return shards[hash_mix(addr >> 12) % kShards];
}

uint64_t LockActivity::taken_since(const LockActivity& earlier, Tid tid) const {
  for (const LockTaker& now : takers) {
    if (now.tid != tid) continue;
    for (const LockTaker& then : earlier.takers)
      if (then.tid == tid && then.count <= now.count) return now.count - then.count;
    return now.count;
  }
  return 0;
}

void LockTable::created(uintptr_t lock, uint32_t site) {
  Shard& s = shard_of(shards_, lock);
  SpinGuard guard(s.lock);
  Record& r = s.records[lock];
  r.stats = LockStats{.lock = lock, .site = site, .created = true};
  r.activity = LockActivity{};
}

void LockTable::acquired(uintptr_t lock, const Acquisition& a) {
  Shard& s = shard_of(shards_, lock);
  SpinGuard guard(s.lock);
  Record& r = s.records[lock];
  LockStats& st = r.stats;
  if (st.acquisitions++ == 0 && !st.created) {
    st.lock = lock;
    st.site = a.stack;
  }
  if (a.waited) {
    ++st.contended;
    st.total_wait_ns += a.wait_ns;
    st.max_wait_ns = std::max(st.max_wait_ns, a.wait_ns);
  }
  ++r.activity.acquisitions;
  // The taker's slot, else the least active one's.
  LockTaker* slot = &r.activity.takers[0];
  for (LockTaker& t : r.activity.takers) {
    if (t.tid == a.owner) {
      slot = &t;
      break;
    }
    if (t.count < slot->count) slot = &t;
  }
  if (slot->tid != a.owner) *slot = LockTaker{.tid = a.owner};
  ++slot->count;
  slot->last_at = a.stack;
  slot->shared = a.shared;
  if (a.shared) {
    auto reader = std::find_if(r.readers.begin(), r.readers.end(),
                               [&](const LockHold& h) { return h.owner == a.owner; });
    if (reader != r.readers.end())
      ++reader->depth;
    else
      r.readers.push_back(
          {.lock = lock, .owner = a.owner, .depth = 1, .acquired_at = a.stack, .shared = true});
    return;
  }
  LockHold& h = r.hold;
  h.lock = lock;
  h.robust = a.robust;
  if (h.owner == a.owner) {
    ++h.depth;
    return;
  }
  // A new owner: the previous one released it, died (robust) or the lock was
  // taken by code the runtime did not see.
  h.owner = a.owner;
  h.depth = 1;
  h.acquired_at = a.stack;
  r.held_since_ns = a.now_ns;
}

bool LockTable::released(uintptr_t lock, Tid owner, uint64_t now_ns) {
  Shard& s = shard_of(shards_, lock);
  SpinGuard guard(s.lock);
  auto it = s.records.find(lock);
  if (it == s.records.end() || it->second.hold.owner != owner) return false;
  Record& r = it->second;
  if (--r.hold.depth > 0) return true;
  r.hold.owner = LockHold::kNoOwner;
  if (now_ns && r.held_since_ns && now_ns > r.held_since_ns) {
    const uint64_t held = now_ns - r.held_since_ns;
    r.stats.total_hold_ns += held;
    r.stats.max_hold_ns = std::max(r.stats.max_hold_ns, held);
  }
  return true;
}

void LockTable::released_shared(uintptr_t lock, Tid tid) {
  Shard& s = shard_of(shards_, lock);
  SpinGuard guard(s.lock);
  auto it = s.records.find(lock);
  if (it == s.records.end()) return;
  std::vector<LockHold>& readers = it->second.readers;
  auto reader =
      std::find_if(readers.begin(), readers.end(), [&](const LockHold& h) { return h.owner == tid; });
  if (reader != readers.end() && --reader->depth == 0) readers.erase(reader);
}

std::optional<LockHold> LockTable::holder(uintptr_t lock) const {
  Shard& s = shard_of(const_cast<Shard*>(shards_), lock);
  SpinGuard guard(s.lock);
  auto it = s.records.find(lock);
  if (it == s.records.end()) return std::nullopt;
  if (it->second.hold.owner != LockHold::kNoOwner) return it->second.hold;
  if (!it->second.readers.empty()) return it->second.readers.front();
  return std::nullopt;
}

std::optional<LockHold> LockTable::held(uintptr_t lock) const {
  Shard& s = shard_of(const_cast<Shard*>(shards_), lock);
  SpinGuard guard(s.lock);
  auto it = s.records.find(lock);
  if (it == s.records.end() || it->second.hold.owner == LockHold::kNoOwner) return std::nullopt;
  return it->second.hold;
}

std::optional<LockActivity> LockTable::activity(uintptr_t lock) const {
  Shard& s = shard_of(const_cast<Shard*>(shards_), lock);
  SpinGuard guard(s.lock);
  auto it = s.records.find(lock);
  if (it == s.records.end()) return std::nullopt;
  return it->second.activity;
}

std::optional<LockStats> LockTable::stats(uintptr_t lock) const {
  Shard& s = shard_of(const_cast<Shard*>(shards_), lock);
  SpinGuard guard(s.lock);
  auto it = s.records.find(lock);
  if (it == s.records.end()) return std::nullopt;
  return it->second.stats;
}

namespace {
bool more_contended(const LockStats& a, const LockStats& b) {
  return a.total_wait_ns != b.total_wait_ns ? a.total_wait_ns > b.total_wait_ns : a.contended > b.contended;
}
}  // namespace

std::vector<LockStats> LockTable::most_contended(size_t limit) const {
  std::vector<LockStats> result;
  for (const Shard& s : shards_) {
    SpinGuard guard(s.lock);
    for (const auto& [addr, r] : s.records)
      if (r.stats.contended) result.push_back(r.stats);
  }
  {
    SpinGuard guard(erased_lock_);
    result.insert(result.end(), erased_.begin(), erased_.end());
  }
  std::sort(result.begin(), result.end(), more_contended);
  if (result.size() > limit) result.resize(limit);
  return result;
}

void LockTable::keep_erased(const LockStats& stats) {
  if (!stats.contended) return;
  SpinGuard guard(erased_lock_);
  if (erased_.size() < kErasedKept) {
    erased_.push_back(stats);
    return;
  }
  auto least = std::min_element(erased_.begin(), erased_.end(),
                                [](const LockStats& a, const LockStats& b) { return more_contended(b, a); });
  if (more_contended(stats, *least)) *least = stats;
}

void LockTable::destroyed(uintptr_t lock) {
  LockStats stats;
  {
    Shard& s = shard_of(shards_, lock);
    SpinGuard guard(s.lock);
    auto it = s.records.find(lock);
    if (it == s.records.end()) return;
    stats = it->second.stats;
    s.records.erase(it);
  }
  keep_erased(stats);
}

template <typename Keep>
std::vector<LockHold> LockTable::collect(Keep keep) const {
  std::vector<LockHold> result;
  for (const Shard& s : shards_) {
    SpinGuard guard(s.lock);
    for (const auto& [addr, r] : s.records) {
      if (r.hold.owner != LockHold::kNoOwner && keep(r.hold)) result.push_back(r.hold);
      for (const LockHold& reader : r.readers)
        if (keep(reader)) result.push_back(reader);
    }
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
  std::vector<LockStats> erased;
  const uintptr_t end = addr + (size ? size : 1);
  // Each page of the range once; a shard may come up for several pages.
  for (uintptr_t page = addr >> 12; page <= (end - 1) >> 12; ++page) {
    Shard& s = shard_of(shards_, page << 12);
    SpinGuard guard(s.lock);
    const uintptr_t from = std::max(addr, page << 12), to = std::min(end, (page + 1) << 12);
    for (auto it = s.records.lower_bound(from); it != s.records.end() && it->first < to;) {
      if (it->second.hold.owner != LockHold::kNoOwner) held.push_back(it->second.hold);
      held.insert(held.end(), it->second.readers.begin(), it->second.readers.end());
      if (it->second.stats.contended) erased.push_back(it->second.stats);
      it = s.records.erase(it);
    }
  }
  for (const LockStats& st : erased) keep_erased(st);
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
