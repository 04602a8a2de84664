// lock-order-inversion: a cycle in the global lock-order graph (A is held
// while B is taken somewhere, B while A elsewhere) that concurrent threads can
// close. Cycles every edge of which is taken under one common gate lock, or
// that only one single-run thread produces, cannot deadlock and are skipped.
// Also an acquisition against the order ACQUIRED_BEFORE / ACQUIRED_AFTER
// declare.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "checks/registry.h"

namespace conc::lint {
namespace {

constexpr size_t kMaxCycleLength = 6;
constexpr size_t kMaxCycles = 1000;
constexpr size_t kMaxEdgeChoices = 1 << 14;

using Cycle = std::vector<std::string>;  // locks; each holds while taking the next
using Graph = std::map<std::string, std::map<std::string, std::vector<const LockEdge*>>>;

std::vector<std::string> intersect(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Every elementary cycle once, each found from its smallest lock.
class CycleFinder {
 public:
  explicit CycleFinder(const Graph& graph) : graph_(graph) {}

  std::vector<Cycle> find() {
    for (const auto& [start, successors] : graph_) {
      path_ = {start};
      extend(start);
    }
    return std::move(cycles_);
  }

 private:
  void extend(const std::string& start) {
    auto node = graph_.find(path_.back());
    if (node == graph_.end()) return;
    for (const auto& [next, edges] : node->second) {
      if (cycles_.size() >= kMaxCycles) return;
      if (next == start) {
        cycles_.push_back(path_);
      } else if (next > start && path_.size() < kMaxCycleLength &&
                 std::find(path_.begin(), path_.end(), next) == path_.end()) {
        path_.push_back(next);
        extend(start);
        path_.pop_back();
      }
    }
  }

  const Graph& graph_;
  std::vector<std::string> path_;
  std::vector<Cycle> cycles_;
};

class LockOrderInversionCheck : public Check {
 public:
  std::string_view id() const override { return "lock-order-inversion"; }
  std::string_view description() const override {
    return "Locks taken in opposite orders by concurrent threads (potential deadlock)";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    Graph graph;
    for (const LockEdge& edge : model.edges) graph[edge.from][edge.to].push_back(&edge);
    std::vector<Finding> findings;
    for (const Cycle& cycle : CycleFinder(graph).find()) {
      std::vector<std::vector<const LockEdge*>> options;
      for (size_t i = 0; i < cycle.size(); ++i)
        options.push_back(graph[cycle[i]][cycle[(i + 1) % cycle.size()]]);
      std::vector<const LockEdge*> chosen;
      size_t budget = kMaxEdgeChoices;
      if (choose(model, options, {}, chosen, budget)) findings.push_back(describe(model, chosen));
    }
    for (Finding& finding : againstDeclaredOrder(model)) findings.push_back(std::move(finding));
    return findings;
  }

 private:
  // Taking `b` while holding `a` where the declarations say `b` comes first is
  // an inversion by contract, whether or not other code takes them the other
  // way (the declared order stands for the code not analyzed).
  std::vector<Finding> againstDeclaredOrder(const ProgramModel& model) const {
    std::map<std::pair<std::string, std::string>, const DeclaredOrder*> declared;
    for (const DeclaredOrder& order : model.program.declaredOrders)
      declared.try_emplace({order.before, order.after}, &order);
    std::set<std::tuple<std::string, std::string, Location>> reported;
    std::vector<Finding> findings;
    for (const LockEdge& edge : model.edges) {
      auto order = declared.find({edge.to, edge.from});
      if (order == declared.end() || !reported.insert({edge.from, edge.to, edge.inner}).second) continue;
      Finding finding{std::string(id()),
                      defaultSeverity(),
                      edge.inner,
                      "lock order inversion: " + quoted(edge.from) + " → " + quoted(edge.to) + " here, but " +
                          quoted(edge.to) + " is declared to be acquired before " + quoted(edge.from) +
                          " at " + shortLocation(order->second->loc) + " (potential deadlock)",
                      {}};
      finding.related.push_back({edge.outer, quoted(edge.from) + " acquired here"});
      for (const ChainStep& step : edge.chain)
        finding.related.push_back({step.loc, "calls " + quoted(step.callee)});
      finding.related.push_back({order->second->loc, "order declared here"});
      finding.related.push_back(
          {edge.inner, "fix: lock " + quoted(edge.to) + " before " + quoted(edge.from) +
                           " here too, as declared, or take both with std::scoped_lock"});
      findings.push_back(std::move(finding));
    }
    return findings;
  }

  // Picks one edge per step of the cycle such that no gate lock (one held at
  // all of them, other than the cycle's own) is held and the edges can come
  // from concurrent threads.
  static bool choose(const ProgramModel& model, const std::vector<std::vector<const LockEdge*>>& options,
                     const std::vector<std::string>& gate, std::vector<const LockEdge*>& chosen,
                     size_t& budget) {
    size_t step = chosen.size();
    if (step == options.size()) {
      bool oneContext = std::all_of(chosen.begin(), chosen.end(), [&](const LockEdge* edge) {
        return edge->context == chosen.front()->context;
      });
      bool gated = std::any_of(gate.begin(), gate.end(), [&](const std::string& lock) {
        return std::none_of(chosen.begin(), chosen.end(),
                            [&](const LockEdge* edge) { return edge->from == lock; });
      });
      return !gated && !(oneContext && !model.concurrent(chosen.front()->context, chosen.front()->context));
    }
    for (const LockEdge* edge : options[step]) {
      if (budget == 0) return false;
      --budget;
      chosen.push_back(edge);
      if (choose(model, options, step == 0 ? edge->held : intersect(gate, edge->held), chosen, budget))
        return true;
      chosen.pop_back();
    }
    return false;
  }

  Finding describe(const ProgramModel& model, std::vector<const LockEdge*> edges) const {
    // Start at the edge whose inner acquisition comes first in the sources.
    auto first = std::min_element(edges.begin(), edges.end(),
                                  [](const LockEdge* a, const LockEdge* b) { return a->inner < b->inner; });
    std::rotate(edges.begin(), first, edges.end());
    const LockEdge& primary = *edges.front();
    std::string message;
    if (edges.size() == 1) {  // a loop on an array's node (see sameIdNodes in program_model.cpp)
      message = "lock order inversion: an element of " + quoted(primary.from) +
                " is acquired here while the one before it is held, around the array: threads running "
                "this at once can each hold one and wait for the next (potential deadlock)";
    } else {
      message = "lock order inversion: " + quoted(primary.from) + " → " + quoted(primary.to) + " here, but ";
      for (size_t i = 1; i < edges.size(); ++i)
        message += (i > 1 ? ", " : "") + quoted(edges[i]->from) + " → " + quoted(edges[i]->to) + " at " +
                   shortLocation(edges[i]->outer);
      message += " (potential deadlock)";
    }
    Finding finding{std::string(id()), defaultSeverity(), primary.inner, message, {}};
    std::set<size_t> contexts;
    for (const LockEdge* edge : edges) {
      finding.related.push_back({edge->outer, quoted(edge->from) + " acquired here"});
      for (const ChainStep& step : edge->chain)
        finding.related.push_back({step.loc, "calls " + quoted(step.callee)});
      if (edge != &primary)
        finding.related.push_back(
            {edge->inner, quoted(edge->to) + " acquired here while " + quoted(edge->from) + " is held"});
      contexts.insert(edge->context);
    }
    for (size_t index : contexts) {
      const ThreadContext& context = model.contexts[index];
      if (context.kind == ThreadContext::Kind::Entry)
        finding.related.push_back(
            {context.startSites.front(), "thread running " + quoted(context.name) + " started here"});
    }
    // The other edges agree on an order; this acquisition breaks it.
    std::string order;
    for (size_t i = 1; i < edges.size(); ++i) order += quoted(edges[i]->from) + " before ";
    finding.related.push_back({primary.inner, "fix: always lock " + order + quoted(primary.from) +
                                                  " (change the order here), or take them together with "
                                                  "std::scoped_lock"});
    return finding;
  }
};

}  // namespace

std::unique_ptr<Check> makeLockOrderInversionCheck() { return std::make_unique<LockOrderInversionCheck>(); }

}  // namespace conc::lint
