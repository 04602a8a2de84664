#include "analyses/var_facts.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include "analyses/thread_api.h"

namespace conc::lint {
namespace {

using namespace clang;

class VarFactsWalk {
 public:
  std::map<const VarDecl*, VarFacts> facts;

  void walk(const Stmt* s, unsigned loops) {
    if (!s) {
      return;
    }
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(s)) {
      ++loops;
    }
    if (const auto* decl = dyn_cast<DeclStmt>(s)) {
      for (const Decl* d : decl->decls()) {
        if (const auto* var = dyn_cast<VarDecl>(d)) {
          VarFacts& fact = facts[var];
          fact.declaredInLoop = fact.declaredInLoop || loops > 0;
          if (var->hasInit()) {
            define(var, loops);
          }
        }
      }
    } else if (const auto* binary = dyn_cast<BinaryOperator>(s); binary && binary->isAssignmentOp()) {
      if (const VarDecl* var = variable(binary->getLHS())) {
        if (binary->getOpcode() == BO_Assign) {
          define(var, loops);
        } else {
          facts[var].escapes = true;
        }
        return walk(binary->getRHS(), loops);
      }
    } else if (const auto* unary = dyn_cast<UnaryOperator>(s); unary && unary->isIncrementDecrementOp()) {
      if (const VarDecl* var = variable(unary->getSubExpr())) {
        facts[var].escapes = true;
        return;
      }
    } else if (isRead(s) || isa<UnaryExprOrTypeTraitExpr>(s)) {
      return;  // a read, or sizeof (not evaluated)
    } else if (const auto* ref = dyn_cast<DeclRefExpr>(s)) {
      if (const auto* var = dyn_cast<VarDecl>(ref->getDecl())) {
        facts[var].escapes = true;
      }
      return;
    } else if (isa<CallExpr, CXXConstructExpr>(s) && startedThreadEntry(s)) {
      // A thread gets a copy of a variable passed (std::thread binds it to a
      // reference only to copy it).
      for (const Stmt* child : s->children()) {
        if (const auto* arg = dyn_cast_or_null<Expr>(child); !arg || !variable(arg->IgnoreImpCasts())) {
          walk(child, loops);
        }
      }
      return;
    }
    for (const Stmt* child : s->children()) {
      walk(child, loops);
    }
  }

 private:
  static bool isRead(const Stmt* s) {
    const auto* cast = dyn_cast<CastExpr>(s);
    return cast && (cast->getCastKind() == CK_LValueToRValue || cast->getCastKind() == CK_ToVoid) &&
           variable(cast->getSubExpr());
  }

  static const VarDecl* variable(const Expr* e) {
    const auto* ref = dyn_cast<DeclRefExpr>(e->IgnoreParens());
    return ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  }

  void define(const VarDecl* var, unsigned loops) {
    VarFacts& fact = facts[var];
    ++fact.definitions;
    fact.definedInLoop = fact.definedInLoop || loops > 0;
  }
};

}  // namespace

std::map<const VarDecl*, VarFacts> variableFacts(const Stmt* body) {
  VarFactsWalk walk;
  walk.walk(body, 0);
  return std::move(walk.facts);
}

bool keepsInitializer(const VarDecl* var) {
  const auto* function = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
  if (!var->isLocalVarDecl() || !var->getInit() || !function || !function->getBody()) {
    return false;
  }
  auto facts = variableFacts(function->getBody());
  auto fact = facts.find(var);
  return fact != facts.end() && fact->second.keepsInitialValue();
}

}  // namespace conc::lint
