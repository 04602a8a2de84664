// The lock-order graph: an edge A -> B for every acquisition of B while A was
// held, and cycle detection for potential deadlocks (lock-order inversions).
//
// Each ordered pair keeps a few distinct variants of its edge (by thread,
// shared/exclusive sides and gate locks) so that the benign-cycle filters can
// pick, for each edge of a cycle, a variant that makes the cycle real:
//  * edges from at least two threads (one thread cannot deadlock itself on
//    an order it alone uses),
//  * no gate: no lock other than the cycle's held at every edge and
//    exclusively at one edge at least (it serializes the whole cycle),
//  * at every lock of the cycle, the side that holds it or the side that
//    waits for it is exclusive (two shared sides never block each other).
// Cycles are searched only when an edge variant is new, from its target back
// to its source, bounded in length and work; each set of locks is reported
// once.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/engine.h"
#include "engine/spin_lock.h"
#include "engine/stack_depot.h"

namespace conc::engine {

struct Gate {
  uintptr_t lock;
  bool shared;
  bool operator==(const Gate&) const = default;
};

struct EdgeVariant {
  Tid tid = 0;
  bool from_shared = false;
  bool to_shared = false;
  StackId from_acquired_at = 0;
  StackId to_acquired_at = 0;
  std::vector<Gate> gates;  // the other locks held, sorted

  bool same_kind(const EdgeVariant& o) const {
    return tid == o.tid && from_shared == o.from_shared && to_shared == o.to_shared && gates == o.gates;
  }
};

struct CycleEdge {
  uintptr_t from;
  uintptr_t to;
  EdgeVariant variant;
};

class LockGraph {
 public:
  static constexpr unsigned kMaxVariants = 4;
  static constexpr unsigned kMaxCycle = 20;
  static constexpr unsigned kSearchBudget = 10000;  // nodes visited per search

  // Adds from -> to; returns the newly found reportable cycles, each in cycle
  // order ending with this edge.
  std::vector<std::vector<CycleEdge>> add_edge(uintptr_t from, uintptr_t to, EdgeVariant variant);
  // Forgets a lock (destroyed or freed) and all its edges.
  void remove(uintptr_t lock);
  // Changes whenever edges are removed, so per-thread caches of added edges
  // know to forget them.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Every ordered pair ever added, with its first variant, including pairs
  // of locks removed since (destroyed before the end of the program): the
  // lock-order graph written at exit. Bounded by kMaxHistory pairs.
  static constexpr size_t kMaxHistory = 100000;
  std::vector<CycleEdge> history() const;

 private:
  struct Node {
    std::unordered_map<uintptr_t, std::vector<EdgeVariant>> out;
    std::unordered_set<uintptr_t> in;
  };
  void find_cycles(uintptr_t from, uintptr_t to, const EdgeVariant& closing,
                   std::vector<std::vector<CycleEdge>>& found);
  bool choose_variants(const std::vector<uintptr_t>& locks, const EdgeVariant& closing,
                       std::vector<CycleEdge>& edges);

  mutable SpinLock lock_;
  std::atomic<uint64_t> generation_{0};
  std::unordered_map<uintptr_t, Node> nodes_;
  std::set<std::vector<uintptr_t>> reported_;  // sorted lock sets
  std::map<std::pair<uintptr_t, uintptr_t>, EdgeVariant> history_;
};

}  // namespace conc::engine
