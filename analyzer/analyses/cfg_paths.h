// Small facts about a Clang CFG shared by the walks over it: which blocks sit
// on a cycle (inside a loop), which blocks share a loop with a given one, and
// what a two-way branch tests.
#pragma once

#include <optional>
#include <vector>

#include <clang/AST/Expr.h>
#include <clang/Analysis/CFG.h>

namespace conc::lint {

// Indexed by block id: the entry block reaches the block.
std::vector<bool> reachableBlocks(const clang::CFG& cfg);

// Indexed by block id: the block can reach itself.
std::vector<bool> blocksInCycles(const clang::CFG& cfg);

// Indexed by block id: blocks on a cycle through `block` (its loop's body and
// condition, including nested loops).
std::vector<bool> loopOf(const clang::CFG& cfg, const clang::CFGBlock& block);

// What the edge to successor `branch` of a two-way branch says: the tested
// expression, stripped of `!`, `== 0` and `!= 0`, and whether it is non-zero
// along that edge. Nothing for other blocks.
struct BranchFact {
  const clang::Expr* tested = nullptr;
  bool nonZero = false;
};
std::optional<BranchFact> branchFact(const clang::CFGBlock& block, unsigned branch);

}  // namespace conc::lint
