// Recognises lock operations in Clang's AST: the pthread and C11 lock
// functions, members of mutex-like classes (anything with lock()/unlock()),
// std::lock, and the RAII guards (lock_guard, unique_lock, scoped_lock,
// shared_lock, and user classes named like guards). Also names locks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

#include "analyses/summary.h"

namespace conc::lint {

enum class LockOpKind { Acquire, TryAcquire, Release };

// A direct lock operation such as pthread_mutex_lock(&m) or m.unlock().
struct LockOp {
  LockOpKind kind = LockOpKind::Acquire;
  LockMode mode = LockMode::Exclusive;
  std::vector<const clang::Expr *> locks;
  // pthread/C11 try functions return 0 on success, members return true.
  bool succeedsWhenZero = false;
};
std::optional<LockOp> classifyLockCall(const clang::CallExpr *call);

enum class GuardStart { Lock, Defer, Adopt, Try };

// A guard object constructed over one or more locks.
struct GuardInit {
  GuardStart start = GuardStart::Lock;
  LockMode mode = LockMode::Exclusive;
  std::vector<const clang::Expr *> locks;
};
std::optional<GuardInit> classifyGuardConstruction(const clang::CXXConstructExpr *construct);

enum class GuardOpKind { Lock, TryLock, Unlock, Release, OwnsLock };

// A member call on a guard variable: lk.lock(), lk.unlock(), lk.owns_lock()...
struct GuardOp {
  GuardOpKind kind;
  const clang::VarDecl *guard;
};
std::optional<GuardOp> classifyGuardCall(const clang::CXXMemberCallExpr *call);

bool isGuardType(clang::QualType type);
// A mutex-like object, or a pointer or reference to one.
bool isLockType(clang::QualType type);

// The lock's id (see summary.h) as used inside `function`.
std::string lockIdentity(const clang::Expr *lock, const clang::FunctionDecl *function);

} // namespace conc::lint
