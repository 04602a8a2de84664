// Live heap blocks: where each was allocated, so a race report on heap
// memory can name the block.
//
// Blocks under 1 MiB live in maps sharded by their 1 MiB region (a block can
// then only reach into the next region, so a lookup checks two shards);
// larger ones in one separate map. Memory is one map node per live block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "engine/engine.h"
#include "engine/spin_lock.h"
#include "engine/stack_depot.h"

namespace conc::engine {

struct HeapRecord {
  uintptr_t addr = 0;
  size_t size = 0;
  Tid tid = 0;
  StackId allocated_at = 0;
};

class HeapTable {
 public:
  void insert(const HeapRecord& block);
  // Removes the block starting at addr; returns it if it was known.
  std::optional<HeapRecord> erase(uintptr_t addr);
  // The live block containing addr.
  std::optional<HeapRecord> find(uintptr_t addr) const;

 private:
  static constexpr unsigned kRegionShift = 20;
  static constexpr unsigned kShards = 64;
  struct alignas(64) Shard {
    mutable SpinLock lock;
    std::map<uintptr_t, HeapRecord> blocks;
  };
  Shard& shard_for(const HeapRecord& block) {
    return block.size >> kRegionShift ? large_ : shards_[(block.addr >> kRegionShift) % kShards];
  }
  static std::optional<HeapRecord> find_in(const Shard& shard, uintptr_t addr);

  Shard shards_[kShards];
  Shard large_;
};

}  // namespace conc::engine
