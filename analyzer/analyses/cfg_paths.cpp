// CFG loops and branch conditions.
#include "analyses/cfg_paths.h"

namespace conc::lint {
namespace {

using namespace clang;

// Blocks reachable from `start` (through its successors; `start` itself only
// when a cycle leads back to it).
std::vector<bool> reachableFrom(const CFG &cfg, const CFGBlock &start) {
  std::vector<bool> seen(cfg.getNumBlockIDs(), false);
  std::vector<const CFGBlock *> stack(start.succ_begin(), start.succ_end());
  while (!stack.empty()) {
    const CFGBlock *block = stack.back();
    stack.pop_back();
    if (!block || seen[block->getBlockID()])
      continue;
    seen[block->getBlockID()] = true;
    stack.insert(stack.end(), block->succ_begin(), block->succ_end());
  }
  return seen;
}

} // namespace

std::vector<bool> blocksInCycles(const CFG &cfg) {
  std::vector<bool> inCycle(cfg.getNumBlockIDs(), false);
  for (const CFGBlock *block : cfg)
    inCycle[block->getBlockID()] = reachableFrom(cfg, *block)[block->getBlockID()];
  return inCycle;
}

std::vector<bool> loopOf(const CFG &cfg, const CFGBlock &block) {
  std::vector<bool> loop(cfg.getNumBlockIDs(), false);
  std::vector<bool> ahead = reachableFrom(cfg, block);
  if (!ahead[block.getBlockID()])
    return loop;
  for (const CFGBlock *other : cfg)
    if (ahead[other->getBlockID()] && reachableFrom(cfg, *other)[block.getBlockID()])
      loop[other->getBlockID()] = true;
  return loop;
}

std::optional<BranchFact> branchFact(const CFGBlock &block, unsigned branch) {
  if (block.succ_size() != 2)
    return std::nullopt;
  const Expr *condition = block.getLastCondition();
  if (!condition)
    return std::nullopt;
  // Successor 0 is the branch taken when the condition is true.
  bool nonZero = branch == 0;
  while (true) {
    condition = condition->IgnoreParenImpCasts();
    if (const auto *unary = dyn_cast<UnaryOperator>(condition);
        unary && unary->getOpcode() == UO_LNot) {
      nonZero = !nonZero;
      condition = unary->getSubExpr();
      continue;
    }
    const auto *binary = dyn_cast<BinaryOperator>(condition);
    if (!binary || !binary->isEqualityOp())
      return BranchFact{condition, nonZero};
    auto isZero = [](const Expr *e) {
      const auto *literal = dyn_cast<IntegerLiteral>(e->IgnoreParenImpCasts());
      return literal && literal->getValue() == 0;
    };
    const Expr *lhs = binary->getLHS();
    const Expr *rhs = binary->getRHS();
    if (!isZero(lhs) && !isZero(rhs))
      return BranchFact{condition, nonZero};
    if (binary->getOpcode() == BO_EQ)
      nonZero = !nonZero;
    condition = isZero(rhs) ? lhs : rhs;
  }
}

} // namespace conc::lint
