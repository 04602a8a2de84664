#include "engine/sync.h"

#include "engine/hash.h"

namespace conc::engine {

SyncTable::~SyncTable() {
  for (Shard& shard : shards_) {
    for (auto& [addr, var] : shard.vars) delete var;
    for (SyncVar* var : shard.free) delete var;
  }
}

unsigned SyncTable::shard_of(uintptr_t addr) {
  return static_cast<unsigned>(hash_mix(addr >> kPageShift) % kShards);
}

std::atomic<SyncVar*>& SyncTable::cached(uintptr_t addr) { return cache_[hash_mix(addr) % kCacheSize]; }

SyncRef SyncTable::lock(uintptr_t addr, bool create) {
  // Lock-free lookup: the cached object is the right one if, under its lock,
  // it still stands for `addr` (erase retires it under the same lock).
  if (SyncVar* var = cached(addr).load(std::memory_order_acquire)) {
    var->lock.lock();
    if (var->live && var->addr == addr) return {var};
    var->lock.unlock();
  } else if (!create) {
    // Every object is cached when created, so an empty cache slot means no
    // object for `addr` exists (relaxed atomics on locations nobody
    // released to stop here, without a shard lock).
    return {};
  }
  return {lock_slow(addr, create)};
}

// The table lookup; returns the object locked, and caches it.
SyncVar* SyncTable::lock_slow(uintptr_t addr, bool create) {
  Shard& shard = shards_[shard_of(addr)];
  SpinGuard guard(shard.lock);
  SyncVar* var = nullptr;
  if (auto it = shard.vars.find(addr); it != shard.vars.end()) {
    var = it->second;
  } else if (!create) {
    return nullptr;
  } else if (!shard.free.empty()) {
    var = shard.free.back();
    shard.free.pop_back();
  } else {
    var = new SyncVar;
  }
  var->lock.lock();
  if (!var->live) {  // fresh or recycled (and then reset by erase)
    var->live = true;
    var->addr = addr;
    shard.vars.emplace(addr, var);
    count_.fetch_add(1, std::memory_order_relaxed);
  }
  cached(addr).store(var, std::memory_order_release);
  return var;
}

void SyncTable::unlock(SyncRef& ref) {
  if (ref.var) ref.var->lock.unlock();
  ref = {};
}

void SyncTable::erase_in_shard(Shard& shard, uintptr_t begin, uintptr_t end,
                               std::vector<uintptr_t>& graph_nodes) {
  SpinGuard guard(shard.lock);
  auto it = shard.vars.lower_bound(begin);
  while (it != shard.vars.end() && it->first < end) {
    SyncVar* var = it->second;
    {
      SpinGuard var_guard(var->lock);
      if (var->in_lock_graph) graph_nodes.push_back(it->first);
      static_cast<SyncState&>(*var) = SyncState{};
      var->live = false;
    }
    shard.free.push_back(var);
    it = shard.vars.erase(it);
    count_.fetch_sub(1, std::memory_order_relaxed);
  }
}

std::vector<uintptr_t> SyncTable::erase(uintptr_t addr, size_t size) {
  std::vector<uintptr_t> graph_nodes;
  if (size == 0 || count_.load(std::memory_order_relaxed) == 0) return graph_nodes;
  const uintptr_t end = addr + size;
  const uintptr_t first_page = addr >> kPageShift, last_page = (end - 1) >> kPageShift;
  if (last_page - first_page >= kShards) {
    for (Shard& shard : shards_) erase_in_shard(shard, addr, end, graph_nodes);
    return graph_nodes;
  }
  // Few pages: visit each page's shard once.
  uint64_t visited = 0;
  for (uintptr_t page = first_page; page <= last_page; ++page) {
    const unsigned s = shard_of(page << kPageShift);
    if (visited & (uint64_t{1} << s)) continue;
    visited |= uint64_t{1} << s;
    erase_in_shard(shards_[s], addr, end, graph_nodes);
  }
  return graph_nodes;
}

}  // namespace conc::engine
