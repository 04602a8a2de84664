#include "engine/stack_depot.h"

#include "engine/hash.h"
#include "engine/os_memory.h"

namespace conc::engine {
namespace {

uint64_t node_hash(StackId parent, Pc pc) { return hash_combine(parent, pc); }

}  // namespace

StackDepot::StackDepot()
    : buckets_(static_cast<std::atomic<StackId>*>(map_zeroed(sizeof(std::atomic<StackId>) << kBucketBits))) {}

StackDepot::~StackDepot() {
  unmap(buckets_, sizeof(std::atomic<StackId>) << kBucketBits);
  for (auto& chunk : chunks_) {
    if (Node* p = chunk.load(std::memory_order_relaxed)) unmap(p, sizeof(Node) << kChunkBits);
  }
}

const StackDepot::Node* StackDepot::node(StackId id) const {
  return chunks_[id >> kChunkBits].load(std::memory_order_acquire) + (id & ((1u << kChunkBits) - 1));
}

StackDepot::Node* StackDepot::new_node(StackId& id) {
  id = next_id_.fetch_add(1, std::memory_order_relaxed);
  if (id >= (kMaxChunks << kChunkBits)) return nullptr;
  std::atomic<Node*>& chunk = chunks_[id >> kChunkBits];
  Node* base = chunk.load(std::memory_order_acquire);
  if (!base) {
    Node* fresh = static_cast<Node*>(map_zeroed(sizeof(Node) << kChunkBits));
    if (chunk.compare_exchange_strong(base, fresh, std::memory_order_acq_rel)) {
      base = fresh;
    } else {
      unmap(fresh, sizeof(Node) << kChunkBits);
    }
  }
  return base + (id & ((1u << kChunkBits) - 1));
}

StackId StackDepot::intern(StackId parent, Pc pc) {
  const uint64_t h = node_hash(parent, pc);
  std::atomic<StackId>& bucket = buckets_[h & ((1u << kBucketBits) - 1)];
  auto find = [&](StackId id) {
    for (; id; id = node(id)->next) {
      const Node* n = node(id);
      if (n->pc == pc && n->parent == parent) return id;
    }
    return StackId{0};
  };
  if (StackId found = find(bucket.load(std::memory_order_acquire))) return found;

  SpinGuard guard(locks_[(h >> kBucketBits) % kLockShards]);
  const StackId head = bucket.load(std::memory_order_acquire);
  if (StackId found = find(head)) return found;
  StackId id;
  Node* n = new_node(id);
  if (!n) return 0;
  n->pc = pc;
  n->parent = parent;
  n->next = head;
  bucket.store(id, std::memory_order_release);
  return id;
}

Stack StackDepot::unwind(StackId id) const {
  Stack stack;
  for (; id; id = node(id)->parent) stack.push_back(node(id)->pc);
  return stack;
}

Stack CallStack::current(Pc pc) const {
  Stack stack;
  stack.reserve(depth_ + 1);
  stack.push_back(pc);
  for (unsigned i = depth_; i > 0; --i) stack.push_back(frames_[i - 1]);
  return stack;
}

StackId ShadowStack::cached_intern(StackDepot& depot, StackId parent, Pc pc) {
  // Under one parent, neighbouring access sites (pc) get neighbouring
  // entries, so a function's accesses share cache lines of the cache; each
  // parent starts at its own offset (an odd multiplier spreads them).
  CacheEntry& e = cache_[((pc >> 2) + static_cast<Pc>(parent * 0x9E3779B1u)) & (kCacheSize - 1)];
  if (e.id == 0 || e.parent != parent || e.pc != pc) e = {pc, parent, depot.intern(parent, pc)};
  return e.id;
}

StackId ShadowStack::id(StackDepot& depot, Pc pc) {
  const unsigned depth = calls_.recorded();
  for (; interned_ < depth; ++interned_) {
    ids_[interned_] = cached_intern(depot, interned_ ? ids_[interned_ - 1] : 0, calls_.frames()[interned_]);
  }
  return cached_intern(depot, depth ? ids_[depth - 1] : 0, pc);
}

}  // namespace conc::engine
