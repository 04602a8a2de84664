// CFG loops and branch conditions.
#include "analyses/cfg_paths.h"

#include <algorithm>

namespace conc::lint {
namespace {

using namespace clang;

// Blocks reachable from `start` (through its successors; `start` itself only
// when a cycle leads back to it).
std::vector<bool> reachableFrom(const CFG& cfg, const CFGBlock& start) {
  std::vector<bool> seen(cfg.getNumBlockIDs(), false);
  std::vector<const CFGBlock*> stack(start.succ_begin(), start.succ_end());
  while (!stack.empty()) {
    const CFGBlock* block = stack.back();
    stack.pop_back();
    if (!block || seen[block->getBlockID()]) continue;
    seen[block->getBlockID()] = true;
    stack.insert(stack.end(), block->succ_begin(), block->succ_end());
  }
  return seen;
}

}  // namespace

std::vector<bool> reachableBlocks(const CFG& cfg) {
  std::vector<bool> reached(cfg.getNumBlockIDs(), false);
  std::vector<const CFGBlock*> work{&cfg.getEntry()};
  reached[cfg.getEntry().getBlockID()] = true;
  while (!work.empty()) {
    const CFGBlock* block = work.back();
    work.pop_back();
    for (const CFGBlock* succ : block->succs())
      if (succ && !reached[succ->getBlockID()]) {
        reached[succ->getBlockID()] = true;
        work.push_back(succ);
      }
  }
  return reached;
}

// Tarjan's strongly connected components, iterative (generated code has huge
// CFGs: a reachability walk per block was quadratic): a block is in a cycle
// when its component has several blocks or it is its own successor.
std::vector<bool> blocksInCycles(const CFG& cfg) {
  unsigned count = cfg.getNumBlockIDs();
  std::vector<bool> inCycle(count, false), onStack(count, false);
  std::vector<unsigned> order(count, 0), low(count, 0);  // order 0: not visited
  std::vector<const CFGBlock*> component;
  struct Visit {
    const CFGBlock* block;
    CFGBlock::const_succ_iterator next;
  };
  unsigned visited = 0;
  auto discover = [&](const CFGBlock* block, std::vector<Visit>& visits) {
    unsigned id = block->getBlockID();
    order[id] = low[id] = ++visited;
    component.push_back(block);
    onStack[id] = true;
    visits.push_back({block, block->succ_begin()});
  };
  for (const CFGBlock* root : cfg) {
    if (order[root->getBlockID()]) continue;
    std::vector<Visit> visits;
    discover(root, visits);
    while (!visits.empty()) {
      const CFGBlock* block = visits.back().block;
      unsigned id = block->getBlockID();
      if (visits.back().next != block->succ_end()) {
        const CFGBlock* succ = *visits.back().next++;
        if (!succ) continue;
        unsigned succId = succ->getBlockID();
        inCycle[id] = inCycle[id] || succId == id;
        if (!order[succId])
          discover(succ, visits);
        else if (onStack[succId])
          low[id] = std::min(low[id], order[succId]);
        continue;
      }
      visits.pop_back();
      if (!visits.empty()) {
        unsigned parent = visits.back().block->getBlockID();
        low[parent] = std::min(low[parent], low[id]);
      }
      if (low[id] != order[id]) continue;
      bool several = component.back() != block;
      const CFGBlock* member = nullptr;
      do {
        member = component.back();
        component.pop_back();
        onStack[member->getBlockID()] = false;
        inCycle[member->getBlockID()] = inCycle[member->getBlockID()] || several;
      } while (member != block);
    }
  }
  return inCycle;
}

std::vector<bool> loopOf(const CFG& cfg, const CFGBlock& block) {
  std::vector<bool> loop(cfg.getNumBlockIDs(), false);
  std::vector<bool> ahead = reachableFrom(cfg, block);
  if (!ahead[block.getBlockID()]) return loop;
  for (const CFGBlock* other : cfg)
    if (ahead[other->getBlockID()] && reachableFrom(cfg, *other)[block.getBlockID()])
      loop[other->getBlockID()] = true;
  return loop;
}

std::optional<BranchFact> branchFact(const CFGBlock& block, unsigned branch) {
  if (block.succ_size() != 2) return std::nullopt;
  const Expr* condition = block.getLastCondition();
  if (!condition) return std::nullopt;
  // Successor 0 is the branch taken when the condition is true.
  bool nonZero = branch == 0;
  while (true) {
    condition = condition->IgnoreParenImpCasts();
    if (const auto* unary = dyn_cast<UnaryOperator>(condition); unary && unary->getOpcode() == UO_LNot) {
      nonZero = !nonZero;
      condition = unary->getSubExpr();
      continue;
    }
    const auto* binary = dyn_cast<BinaryOperator>(condition);
    if (!binary || !binary->isEqualityOp()) return BranchFact{condition, nonZero};
    auto isZero = [](const Expr* e) {
      const auto* literal = dyn_cast<IntegerLiteral>(e->IgnoreParenImpCasts());
      return literal && literal->getValue() == 0;
    };
    const Expr* lhs = binary->getLHS();
    const Expr* rhs = binary->getRHS();
    if (!isZero(lhs) && !isZero(rhs)) return BranchFact{condition, nonZero};
    if (binary->getOpcode() == BO_EQ) nonZero = !nonZero;
    condition = isZero(rhs) ? lhs : rhs;
  }
}

}  // namespace conc::lint
