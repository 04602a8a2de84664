// fork(), wait and shared mappings.
#include "analyses/process_api.h"

#include <clang/AST/ASTContext.h>

#include "analyses/ast_names.h"

namespace conc::lint {
namespace {

using namespace clang;

const CallExpr* asCall(const Expr* e) { return e ? dyn_cast<CallExpr>(e->IgnoreParenCasts()) : nullptr; }

bool endsChild(const std::string& name) {
  return name.starts_with("exec") || name == "_exit" || name == "_Exit" || name == "posix_spawn";
}

bool waitsForChild(const std::string& name) {
  return name == "waitpid" || name == "wait" || name == "waitid" || name == "wait3" || name == "wait4";
}

}  // namespace

bool isChildWait(const Stmt* s) {
  const auto* call = dyn_cast_or_null<CallExpr>(s);
  return call && waitsForChild(calleeName(call));
}

bool isForkCall(const Expr* e) {
  const CallExpr* call = asCall(e);
  return call && calleeName(call) == "fork";
}

void ForkRegion::joinWith(const ForkRegion& other) {
  results.insert(other.results.begin(), other.results.end());
  if (child != other.child) child.reset();  // the child's code is the branch where fork() returned 0
  childMayRun = childMayRun || other.childMayRun;
}

void ForkRegion::assign(const VarDecl* var, const Expr* value, const SourceManager& sm) {
  results.erase(var);
  if (isForkCall(value)) results[var] = makeLocation(sm, value->getBeginLoc());
}

void ForkRegion::call(const CallExpr* call) {
  std::string name = calleeName(call);
  if (child && endsChild(name)) child.reset();
  if (name == "fork") childMayRun = true;
  if (waitsForChild(name)) childMayRun = false;
}

void ForkRegion::branch(const BranchFact& fact, const SourceManager& sm) {
  if (fact.nonZero) return;
  const auto* ref = dyn_cast<DeclRefExpr>(fact.tested->IgnoreParenImpCasts());
  const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (isForkCall(fact.tested)) {
    child = makeLocation(sm, fact.tested->getBeginLoc());
  } else if (auto fork = var ? results.find(var) : results.end(); fork != results.end()) {
    child = fork->second;
  } else {
    return;
  }
  childMayRun = false;  // the child's own children are not forked yet
}

ForkSide ForkRegion::side() const {
  if (child) return ForkSide::Child;
  return childMayRun ? ForkSide::Parent : ForkSide::None;
}

bool returnsSharedMemory(const Expr* e) {
  const CallExpr* call = asCall(e);
  if (!call) return false;
  std::string name = calleeName(call);
  if (name == "shmat") return true;
  if (name != "mmap" || call->getNumArgs() < 4) return false;
  const FunctionDecl* callee = call->getDirectCallee();
  Expr::EvalResult flags;
  if (!call->getArg(3)->EvaluateAsInt(flags, callee->getASTContext())) return false;
  // MAP_TYPE bits: MAP_SHARED (1) or MAP_SHARED_VALIDATE (3); MAP_PRIVATE is 2.
  int64_t type = flags.Val.getInt().getExtValue() & 0x0f;
  return type == 0x01 || type == 0x03;
}

}  // namespace conc::lint
