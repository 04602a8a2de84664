#include "engine/sync.h"

#include "engine/hash.h"

namespace conc::engine {

unsigned SyncTable::shard_of(uintptr_t addr) {
  return static_cast<unsigned>(hash_mix(addr >> kPageShift) % kShards);
}

SyncRef SyncTable::lock(uintptr_t addr, bool create) {
  Shard& shard = shards_[shard_of(addr)];
  shard.lock.lock();
  SyncRef ref{&shard.lock, nullptr};
  auto it = shard.vars.find(addr);
  if (it != shard.vars.end()) {
    ref.var = &it->second;
  } else if (create) {
    ref.var = &shard.vars[addr];
    count_.fetch_add(1, std::memory_order_relaxed);
  }
  return ref;
}

void SyncTable::unlock(SyncRef& ref) {
  if (ref.lock) ref.lock->unlock();
  ref = {};
}

void SyncTable::erase_in_shard(Shard& shard, uintptr_t begin, uintptr_t end, std::vector<uintptr_t>& graph_nodes) {
  SpinGuard guard(shard.lock);
  auto it = shard.vars.lower_bound(begin);
  while (it != shard.vars.end() && it->first < end) {
    if (it->second.in_lock_graph) graph_nodes.push_back(it->first);
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
