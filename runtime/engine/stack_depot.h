// Call stacks: the process-wide stack depot (a trie of frames, so a whole stack
// is one 32-bit id) and each thread's shadow call stack kept by
// func_entry/func_exit.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "engine/engine.h"
#include "engine/spin_lock.h"

namespace conc::engine {

using StackId = uint32_t;  // 0 is the empty stack

// A trie node is (parent id, pc); interning the same pair again returns the
// same id. Lookups are lock-free; inserts lock one of a few shards. Nodes are
// never freed: their number is bounded by the distinct call paths of the
// program (at most kMaxNodes; beyond that new paths degrade to the empty
// stack).
class StackDepot {
 public:
  StackDepot();
  ~StackDepot();
  StackDepot(const StackDepot&) = delete;
  StackDepot& operator=(const StackDepot&) = delete;

  StackId intern(StackId parent, Pc pc);
  // Innermost frame first.
  Stack unwind(StackId id) const;

 private:
  struct Node {
    Pc pc;
    StackId parent;
    StackId next;  // bucket chain; written before the node is published
  };
  static constexpr unsigned kBucketBits = 20;
  static constexpr unsigned kChunkBits = 16;
  static constexpr unsigned kMaxChunks = 4096;
  static constexpr unsigned kLockShards = 64;

  const Node* node(StackId id) const;
  Node* new_node(StackId& id);

  std::atomic<StackId>* buckets_;  // heads of the hash chains, mmapped
  std::atomic<Node*> chunks_[kMaxChunks] = {};
  std::atomic<StackId> next_id_{1};
  SpinLock locks_[kLockShards];
};

// A call stack kept from func_entry/func_exit events: a thread's own (inside
// ShadowStack) and the one a trace replay rebuilds. Depth is capped: calls
// past kMaxDepth are counted, not recorded, so unbalanced entry/exit
// (longjmp, exceptions) never overflow; a pop at depth 0 is ignored.
class CallStack {
 public:
  static constexpr unsigned kMaxDepth = 256;

  void push(Pc return_pc) {
    if (__builtin_expect(depth_ == kMaxDepth, 0)) {
      ++overflow_;
      return;
    }
    frames_[depth_++] = return_pc;
  }
  void pop() {
    if (__builtin_expect(overflow_ != 0, 0)) {
      --overflow_;
    } else if (depth_) {
      --depth_;
    }
  }
  // Frames pushed and not yet popped, counting those past kMaxDepth.
  unsigned depth() const { return depth_ + overflow_; }
  // Drops the frames above `depth`: a longjmp leaves them without popping.
  void unwind_to(unsigned depth) {
    if (depth >= depth_) {
      if (depth < depth_ + overflow_) overflow_ = depth - depth_;
      return;
    }
    overflow_ = 0;
    depth_ = depth;
  }
  // The recorded frames, outermost first, and the uncounted ones past them.
  const Pc* frames() const { return frames_; }
  unsigned recorded() const { return depth_; }
  unsigned overflow() const { return overflow_; }
  // Restores a stack saved from frames(), recorded() and overflow().
  void assign(const uint64_t* frames, unsigned recorded, unsigned overflow) {
    depth_ = recorded < kMaxDepth ? recorded : kMaxDepth;
    overflow_ = overflow;
    for (unsigned i = 0; i < depth_; ++i) frames_[i] = frames[i];
  }
  // The stack of an event at `pc`: [pc, innermost return address, ...].
  Stack current(Pc pc) const;

 private:
  Pc frames_[kMaxDepth];
  unsigned depth_ = 0;
  unsigned overflow_ = 0;
};

// One thread's shadow call stack, and the depot ids of its prefixes for the
// events that keep a stack (locks, allocations, thread creation).
class ShadowStack {
 public:
  void push(Pc return_pc) { calls_.push(return_pc); }
  void pop() {
    calls_.pop();
    drop_popped_ids();
  }
  unsigned depth() const { return calls_.depth(); }
  void unwind_to(unsigned depth) {
    calls_.unwind_to(depth);
    drop_popped_ids();
  }
  const CallStack& calls() const { return calls_; }
  Stack current(Pc pc) const { return calls_.current(pc); }
  // The depot id of current(pc). Frame ids are interned lazily and cached,
  // so repeated calls from the same place cost a few loads.
  StackId id(StackDepot& depot, Pc pc);

 private:
  static constexpr unsigned kCacheBits = 12;
  static constexpr unsigned kCacheSize = 1u << kCacheBits;
  struct CacheEntry {  // 16 bytes, four to a cache line
    Pc pc = 0;
    StackId parent = 0;
    StackId id = 0;
  };
  StackId cached_intern(StackDepot& depot, StackId parent, Pc pc);
  void drop_popped_ids() { interned_ = std::min(interned_, calls_.recorded()); }

  CallStack calls_;
  StackId ids_[CallStack::kMaxDepth];  // ids_[i] is the id of frames()[0..i]; valid below interned_
  unsigned interned_ = 0;
  CacheEntry cache_[kCacheSize];
};

}  // namespace conc::engine
