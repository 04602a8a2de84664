// Processes: fork(), where its child's code and the parent's code run at the
// same time, and the memory the two share. After fork() the child has its own
// copy of globals and heap; only memory mapped shared (mmap with MAP_SHARED,
// shmat) stays one object for both.
#pragma once

#include <map>
#include <optional>

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/Basic/SourceManager.h>

#include "analyses/cfg_paths.h"
#include "analyses/summary.h"

namespace conc::lint {

bool isForkCall(const clang::Expr* e);
// waitpid, wait and the like: the parent waits for a child to end.
bool isChildWait(const clang::Stmt* s);

// Where fork()'s child is at one program point, for the walks over a
// function's CFG: in the child's branch (fork()'s result tested 0, up to
// _exit or exec), or in the parent after a fork() not yet followed by
// waitpid or wait (a walk that knows what lies ahead may also ask for a wait
// still to come, as for a thread's join: a wait in a loop leaves the fact
// set after the loop).
struct ForkRegion {
  std::map<const clang::VarDecl*, Location> results;  // locals holding fork()'s result
  std::optional<Location> child;                      // in fork()'s child on every path (that fork)
  bool childMayRun = false;                           // in the parent, on some path, before the wait

  bool operator==(const ForkRegion&) const = default;
  void joinWith(const ForkRegion& other);
  // `var` is assigned `value`.
  void assign(const clang::VarDecl* var, const clang::Expr* value, const clang::SourceManager& sm);
  void call(const clang::CallExpr* call);
  void branch(const BranchFact& fact, const clang::SourceManager& sm);
  ForkSide side() const;
};

// A call returning memory that a forked child shares with its parent:
// mmap(..., MAP_SHARED, ...) or shmat(...).
bool returnsSharedMemory(const clang::Expr* e);

}  // namespace conc::lint
