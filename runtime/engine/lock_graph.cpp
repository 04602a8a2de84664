#include "engine/lock_graph.h"

#include <algorithm>

namespace conc::engine {
namespace {

// Whether the chosen variants (edge i leaves locks[i]) can really deadlock.
bool real_cycle(const std::vector<uintptr_t>& locks, const std::vector<const EdgeVariant*>& edges) {
  const size_t n = edges.size();
  bool two_threads = false;
  for (const EdgeVariant* e : edges) two_threads |= e->tid != edges[0]->tid;
  if (!two_threads) return false;
  for (size_t i = 0; i < n; ++i) {
    // Lock locks[i] is held by edge i and waited for by edge i-1.
    if (edges[i]->from_shared && edges[(i + n - 1) % n]->to_shared) return false;
  }
  for (const Gate& g : edges[0]->gates) {
    if (std::find(locks.begin(), locks.end(), g.lock) != locks.end()) continue;
    bool everywhere = true, exclusive = false;
    for (const EdgeVariant* e : edges) {
      bool held = false;
      for (const Gate& h : e->gates) {
        if (h.lock != g.lock) continue;
        held = true;
        exclusive |= !h.shared;
      }
      everywhere &= held;
    }
    if (everywhere && exclusive) return false;
  }
  return true;
}

}  // namespace

std::vector<std::vector<CycleEdge>> LockGraph::add_edge(uintptr_t from, uintptr_t to, EdgeVariant variant) {
  std::vector<std::vector<CycleEdge>> found;
  if (from == to) return found;
  SpinGuard guard(lock_);
  std::vector<EdgeVariant>& variants = nodes_[from].out[to];
  for (const EdgeVariant& v : variants) {
    if (v.same_kind(variant)) return found;
  }
  if (variants.size() >= kMaxVariants) return found;
  variants.push_back(variant);
  if (history_.size() < kMaxHistory) history_.try_emplace({from, to}, variant);  // no copy for a known pair
  nodes_[to].in.insert(from);
  find_cycles(from, to, variant, found);
  return found;
}

std::vector<CycleEdge> LockGraph::history() const {
  SpinGuard guard(lock_);
  std::vector<CycleEdge> edges;
  edges.reserve(history_.size());
  for (const auto& [pair, variant] : history_) edges.push_back({pair.first, pair.second, variant});
  return edges;
}

void LockGraph::remove(uintptr_t lock) {
  SpinGuard guard(lock_);
  auto it = nodes_.find(lock);
  if (it == nodes_.end()) return;
  for (auto& [to, variants] : it->second.out) {
    if (auto target = nodes_.find(to); target != nodes_.end()) target->second.in.erase(lock);
  }
  for (uintptr_t from : it->second.in) {
    if (auto source = nodes_.find(from); source != nodes_.end()) source->second.out.erase(lock);
  }
  nodes_.erase(it);
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

void LockGraph::find_cycles(uintptr_t from, uintptr_t to, const EdgeVariant& closing,
                            std::vector<std::vector<CycleEdge>>& found) {
  // Depth-first enumeration of simple paths to -> ... -> from.
  std::vector<uintptr_t> path{to};
  unsigned budget = kSearchBudget;
  auto dfs = [&](auto& self, uintptr_t node) -> void {
    if (budget == 0 || path.size() > kMaxCycle) return;
    --budget;
    auto it = nodes_.find(node);
    if (it == nodes_.end()) return;
    for (const auto& [next, variants] : it->second.out) {
      if (next == from) {
        path.push_back(from);
        std::vector<uintptr_t> key = path;
        std::sort(key.begin(), key.end());
        std::vector<CycleEdge> edges;
        if (!reported_.count(key) && choose_variants(path, closing, edges)) {
          reported_.insert(std::move(key));
          found.push_back(std::move(edges));
        }
        path.pop_back();
      } else if (std::find(path.begin(), path.end(), next) == path.end()) {
        path.push_back(next);
        self(self, next);
        path.pop_back();
      }
    }
  };
  if (to != from) dfs(dfs, to);
}

bool LockGraph::choose_variants(const std::vector<uintptr_t>& locks, const EdgeVariant& closing,
                                std::vector<CycleEdge>& edges) {
  // locks = [to, ..., from]; edge i leaves locks[i]; the last edge is `closing`.
  const size_t n = locks.size();
  std::vector<const std::vector<EdgeVariant>*> options;
  for (size_t i = 0; i + 1 < n; ++i) options.push_back(&nodes_[locks[i]].out[locks[i + 1]]);
  std::vector<const EdgeVariant*> chosen(n, nullptr);
  chosen[n - 1] = &closing;
  unsigned budget = kSearchBudget;
  auto pick = [&](auto& self, size_t i) -> bool {
    if (budget == 0) return false;
    --budget;
    if (i + 1 == n) return real_cycle(locks, chosen);
    for (const EdgeVariant& v : *options[i]) {
      chosen[i] = &v;
      if (self(self, i + 1)) return true;
    }
    return false;
  };
  if (!pick(pick, 0)) return false;
  for (size_t i = 0; i < n; ++i) edges.push_back({locks[i], locks[(i + 1) % n], *chosen[i]});
  return true;
}

}  // namespace conc::engine
