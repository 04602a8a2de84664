// Recognises lock operations in Clang's AST: the pthread and C11 lock
// functions, members of mutex-like classes (anything with lock()/unlock(), or
// a Clang `capability`), functions with Clang's thread-safety attributes
// (ACQUIRE, RELEASE, TRY_ACQUIRE and their older spellings), std::lock, and
// the RAII guards (lock_guard, unique_lock, scoped_lock, shared_lock, user
// classes named like guards or marked SCOPED_CAPABILITY). Also names locks.
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
  std::vector<const clang::Expr*> locks;
  // pthread/C11 try functions return 0 on success, members return true.
  bool succeedsWhenZero = false;
};
std::optional<LockOp> classifyLockCall(const clang::CallExpr* call);

enum class GuardStart { Lock, Defer, Adopt, Try };

// A guard object constructed over one or more locks.
struct GuardInit {
  GuardStart start = GuardStart::Lock;
  LockMode mode = LockMode::Exclusive;
  std::vector<const clang::Expr*> locks;
};
std::optional<GuardInit> classifyGuardConstruction(const clang::CXXConstructExpr* construct);

enum class GuardOpKind { Lock, TryLock, Unlock, Release, OwnsLock };

// A member call on a guard variable: lk.lock(), lk.unlock(), lk.owns_lock()...
struct GuardOp {
  GuardOpKind kind;
  const clang::VarDecl* guard;
};
std::optional<GuardOp> classifyGuardCall(const clang::CXXMemberCallExpr* call);

bool isGuardType(clang::QualType type);
// A mutex-like object, or a pointer or reference to one.
bool isLockType(clang::QualType type);

// The lock's id (see summary.h) as used inside `function`.
std::string lockIdentity(const clang::Expr* lock, const clang::FunctionDecl* function);

// Which of the objects the lock's id stands for this one is, where the
// expression says (see LockInstance in summary.h).
LockInstance lockInstance(const clang::Expr* lock);

// A class (or a pointer or reference to one) with a lock among its fields:
// an object whose locks are told apart from another's (see LockInstance).
bool holdsLock(clang::QualType type);

// The pointer parameter a local pointer is initialized from, as in a thread's
// start routine: `pthread_mutex_t *lock = arg;` (null for other variables,
// and for a lambda's local initialized from a captured parameter).
// Such a local names what the parameter points to.
const clang::ParmVarDecl* parameterAlias(const clang::VarDecl* var);

// The id of a lock named the same from anywhere: a field or a global. Used for
// the locks that attributes name (GUARDED_BY(mu)).
std::optional<std::string> declaredLockIdentity(const clang::Expr* lock);

// The locks REQUIRES(...) (EXCLUSIVE_LOCKS_REQUIRED, SHARED_LOCKS_REQUIRED)
// says are held whenever `function` runs; negative requirements are skipped.
struct RequiredLock {
  const clang::Expr* lock;
  LockMode mode;
};
std::vector<RequiredLock> requiredLocks(const clang::FunctionDecl* function);

}  // namespace conc::lint
