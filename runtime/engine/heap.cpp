#include "engine/heap.h"

namespace conc::engine {

void HeapTable::insert(const HeapRecord& block) {
  // A block at this address that was never freed (the allocator reused it
  // behind our back) is replaced, wherever it was filed.
  erase(block.addr);
  Shard& shard = shard_for(block);
  SpinGuard guard(shard.lock);
  shard.blocks[block.addr] = block;
}

std::optional<HeapRecord> HeapTable::erase(uintptr_t addr) {
  for (Shard* shard : {&shards_[(addr >> kRegionShift) % kShards], &large_}) {
    SpinGuard guard(shard->lock);
    auto it = shard->blocks.find(addr);
    if (it != shard->blocks.end()) {
      HeapRecord block = it->second;
      shard->blocks.erase(it);
      return block;
    }
  }
  return std::nullopt;
}

std::optional<HeapRecord> HeapTable::find_in(const Shard& shard, uintptr_t addr) {
  SpinGuard guard(shard.lock);
  auto it = shard.blocks.upper_bound(addr);
  if (it == shard.blocks.begin()) return std::nullopt;
  --it;
  if (addr - it->second.addr < it->second.size) return it->second;
  return std::nullopt;
}

std::optional<HeapRecord> HeapTable::find(uintptr_t addr) const {
  const uintptr_t region = addr >> kRegionShift;
  for (const Shard* shard : {&shards_[region % kShards], &shards_[(region - 1) % kShards], &large_}) {
    if (auto block = find_in(*shard, addr)) return block;
  }
  return std::nullopt;
}

}  // namespace conc::engine
