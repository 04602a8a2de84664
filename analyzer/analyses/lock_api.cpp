// Lock operations and lock identities in Clang's AST.
#include "analyses/lock_api.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <llvm/ADT/StringSwitch.h>
#include <llvm/Support/raw_ostream.h>

#include "analyses/ast_names.h"
#include "analyses/shared_data.h"

namespace conc::lint {
namespace {

using namespace clang;

const char* const kPthreadLockTypes[] = {"pthread_mutex_t", "pthread_rwlock_t", "pthread_spinlock_t",
                                         "mtx_t"};

bool isPthreadLockTypedef(QualType type) {
  while (const auto* typedefType = type->getAs<TypedefType>()) {
    llvm::StringRef name = typedefType->getDecl()->getName();
    for (const char* lockType : kPthreadLockTypes)
      if (name == lockType) return true;
    type = typedefType->desugar();
  }
  return false;
}

bool hasMethod(const CXXRecordDecl* record, llvm::StringRef name) {
  if (!record->hasDefinition()) return false;
  for (const CXXMethodDecl* method : record->getDefinition()->methods())
    if (method->getIdentifier() && method->getName() == name) return true;
  bool found = false;
  record->getDefinition()->forallBases([&](const CXXRecordDecl* base) {
    found = found || hasMethod(base, name);
    return true;
  });
  return found;
}

const CXXRecordDecl* recordOf(QualType type) {
  type = type.getNonReferenceType();
  if (type->isPointerType()) type = type->getPointeeType();
  return type->getAsCXXRecordDecl();
}

bool isStdGuard(const CXXRecordDecl* record) {
  std::string name = plainQualifiedName(record);
  return name == "std::lock_guard" || name == "std::unique_lock" || name == "std::scoped_lock" ||
         name == "std::shared_lock";
}

// Project guards such as LevelDB's MutexLock: a class named like a guard
// whose constructor takes a mutex-like object.
bool isUserGuard(const CXXRecordDecl* record) {
  if (!record->hasDefinition() || !record->getIdentifier()) return false;
  llvm::StringRef name = record->getName();
  if (!name.ends_with("Lock") && !name.ends_with("Guard") && !name.ends_with("Locker") &&
      !name.ends_with("Holder") && !record->getDefinition()->hasAttr<ScopedLockableAttr>())
    return false;
  for (const CXXConstructorDecl* ctor : record->getDefinition()->ctors())
    if (ctor->getNumParams() >= 1 && !ctor->isCopyOrMoveConstructor() &&
        isLockType(ctor->getParamDecl(0)->getType()))
      return true;
  return false;
}

bool isLockableRecord(const CXXRecordDecl* record) {
  if (isStdGuard(record) || isUserGuard(record)) return false;
  if (record->hasDefinition() && record->getDefinition()->hasAttr<CapabilityAttr>()) return true;
  return (hasMethod(record, "lock") && hasMethod(record, "unlock")) ||
         (hasMethod(record, "Lock") && hasMethod(record, "Unlock"));
}

std::string tagName(const Expr* arg) {
  if (const auto* record = arg->getType()->getAsCXXRecordDecl()) return plainQualifiedName(record);
  return {};
}

const Expr* stripLockExpr(const Expr* e) {
  while (true) {
    e = e->IgnoreParenImpCasts();
    if (const auto* unary = dyn_cast<UnaryOperator>(e);
        unary && (unary->getOpcode() == UO_AddrOf || unary->getOpcode() == UO_Deref)) {
      e = unary->getSubExpr();
      continue;
    }
    return e;
  }
}

std::optional<LockOp> pthreadLockOp(llvm::StringRef name, const CallExpr* call) {
  using K = LockOpKind;
  struct Shape {
    K kind;
    LockMode mode;
  };
  auto shape = llvm::StringSwitch<std::optional<Shape>>(name)
                   .Cases("pthread_mutex_lock", "pthread_spin_lock", "mtx_lock",
                          Shape{K::Acquire, LockMode::Exclusive})
                   .Case("pthread_rwlock_wrlock", Shape{K::Acquire, LockMode::Exclusive})
                   .Case("pthread_rwlock_rdlock", Shape{K::Acquire, LockMode::Shared})
                   .Cases("pthread_mutex_trylock", "pthread_mutex_timedlock", "pthread_spin_trylock",
                          "mtx_trylock", "mtx_timedlock", Shape{K::TryAcquire, LockMode::Exclusive})
                   .Cases("pthread_rwlock_trywrlock", "pthread_rwlock_timedwrlock",
                          Shape{K::TryAcquire, LockMode::Exclusive})
                   .Cases("pthread_rwlock_tryrdlock", "pthread_rwlock_timedrdlock",
                          Shape{K::TryAcquire, LockMode::Shared})
                   .Cases("pthread_mutex_unlock", "pthread_spin_unlock", "pthread_rwlock_unlock",
                          "mtx_unlock", Shape{K::Release, LockMode::Exclusive})
                   .Default(std::nullopt);
  if (!shape || call->getNumArgs() < 1) return std::nullopt;
  return LockOp{shape->kind, shape->mode, {call->getArg(0)}, true};
}

std::optional<LockOp> memberLockOp(const CXXMemberCallExpr* call) {
  const CXXMethodDecl* method = call->getMethodDecl();
  const Expr* object = call->getImplicitObjectArgument();
  if (!method || !object || !method->getIdentifier()) return std::nullopt;
  const CXXRecordDecl* record = recordOf(object->getType());
  if (!record || !isLockableRecord(record)) return std::nullopt;
  using K = LockOpKind;
  struct Shape {
    K kind;
    LockMode mode;
  };
  auto shape = llvm::StringSwitch<std::optional<Shape>>(method->getName())
                   .Cases("lock", "Lock", Shape{K::Acquire, LockMode::Exclusive})
                   .Cases("lock_shared", "ReaderLock", "LockShared", Shape{K::Acquire, LockMode::Shared})
                   .Cases("try_lock", "try_lock_for", "try_lock_until", "TryLock",
                          Shape{K::TryAcquire, LockMode::Exclusive})
                   .Cases("try_lock_shared", "try_lock_shared_for", "try_lock_shared_until",
                          Shape{K::TryAcquire, LockMode::Shared})
                   .Cases("unlock", "Unlock", "unlock_shared", "ReaderUnlock", "UnlockShared",
                          Shape{K::Release, LockMode::Exclusive})
                   .Default(std::nullopt);
  if (!shape) return std::nullopt;
  return LockOp{shape->kind, shape->mode, {object}, false};
}

// A capability expression of an attribute that names no lock: a negative
// requirement (`!mu`) or an old-style string.
bool namesNoLock(const Expr* arg) {
  const Expr* e = arg->IgnoreParenImpCasts();
  const auto* unary = dyn_cast<UnaryOperator>(e);
  return isa<StringLiteral>(e) || (unary && unary->getOpcode() == UO_LNot);
}

// The caller-side expressions for the locks an attribute on the callee names:
// the object for an empty list or `this`, the argument for a parameter, and
// otherwise the expression itself (a field or a global, named alike from
// anywhere).
std::vector<const Expr*> annotatedLocks(llvm::iterator_range<Expr**> args, const CallExpr* call) {
  const auto* member = dyn_cast<CXXMemberCallExpr>(call);
  const Expr* object = member ? member->getImplicitObjectArgument() : nullptr;
  std::vector<const Expr*> locks;
  if (args.begin() == args.end() && object) locks.push_back(object);
  for (const Expr* arg : args) {
    if (namesNoLock(arg)) continue;
    const Expr* e = stripLockExpr(arg);
    const auto* ref = dyn_cast<DeclRefExpr>(e);
    const auto* param = ref ? dyn_cast<ParmVarDecl>(ref->getDecl()) : nullptr;
    if (isa<CXXThisExpr>(e)) {
      if (object) locks.push_back(object);
    } else if (param) {
      if (param->getFunctionScopeIndex() < call->getNumArgs())
        locks.push_back(call->getArg(param->getFunctionScopeIndex()));
    } else {
      locks.push_back(arg);
    }
  }
  return locks;
}

template <typename TryAttr>
std::optional<LockOp> annotatedTry(const TryAttr* attr, LockMode mode, const CallExpr* call,
                                   const ASTContext& context) {
  bool success = true;
  if (!attr->getSuccessValue()->EvaluateAsBooleanCondition(success, context)) return std::nullopt;
  return LockOp{LockOpKind::TryAcquire, mode, annotatedLocks(attr->args(), call), !success};
}

std::optional<LockOp> annotatedLockOp(const CallExpr* call) {
  const FunctionDecl* callee = call->getDirectCallee();
  if (!callee) return std::nullopt;
  std::optional<LockOp> op;
  auto modeOf = [](bool shared) { return shared ? LockMode::Shared : LockMode::Exclusive; };
  if (const auto* attr = callee->getAttr<AcquireCapabilityAttr>())
    op = LockOp{LockOpKind::Acquire, modeOf(attr->isShared()), annotatedLocks(attr->args(), call), false};
  else if (const auto* attr = callee->getAttr<ReleaseCapabilityAttr>())
    op = LockOp{LockOpKind::Release, LockMode::Exclusive, annotatedLocks(attr->args(), call), false};
  else if (const auto* attr = callee->getAttr<TryAcquireCapabilityAttr>())
    op = annotatedTry(attr, modeOf(attr->isShared()), call, callee->getASTContext());
  else if (const auto* attr = callee->getAttr<ExclusiveTrylockFunctionAttr>())
    op = annotatedTry(attr, LockMode::Exclusive, call, callee->getASTContext());
  else if (const auto* attr = callee->getAttr<SharedTrylockFunctionAttr>())
    op = annotatedTry(attr, LockMode::Shared, call, callee->getASTContext());
  if (op && op->locks.empty()) return std::nullopt;
  return op;
}

}  // namespace

bool isLockType(QualType type) {
  type = type.getNonReferenceType();
  if (type->isPointerType()) type = type->getPointeeType();
  if (isPthreadLockTypedef(type)) return true;
  const CXXRecordDecl* record = type->getAsCXXRecordDecl();
  return record && isLockableRecord(record);
}

bool isGuardType(QualType type) {
  const CXXRecordDecl* record = type->getAsCXXRecordDecl();
  return record && (isStdGuard(record) || isUserGuard(record));
}

namespace {

// The lock operations the language and libraries name.
std::optional<LockOp> directLockOp(const CallExpr* call) {
  if (const auto* member = dyn_cast<CXXMemberCallExpr>(call)) {
    if (auto op = memberLockOp(member)) return op;
    return annotatedLockOp(call);
  }
  if (auto op = annotatedLockOp(call)) return op;
  const FunctionDecl* callee = call->getDirectCallee();
  if (!callee || !callee->getIdentifier()) return std::nullopt;
  if (plainQualifiedName(callee) == "std::lock") {
    LockOp op;
    for (const Expr* arg : call->arguments()) op.locks.push_back(arg);
    return op;
  }
  return pthreadLockOp(callee->getName(), call);
}

// The lock a wrapper's operation names, as its caller passes it: a global
// stays itself, the wrapper's parameter becomes the call's argument.
const Expr* lockAtCallSite(const Expr* lock, const CallExpr* call) {
  const Expr* e = lock->IgnoreParenImpCasts();
  if (const auto* unary = dyn_cast<UnaryOperator>(e);
      unary && (unary->getOpcode() == UO_AddrOf || unary->getOpcode() == UO_Deref))
    e = unary->getSubExpr()->IgnoreParenImpCasts();
  const auto* ref = dyn_cast<DeclRefExpr>(e);
  if (!ref) return nullptr;
  if (const auto* param = dyn_cast<ParmVarDecl>(ref->getDecl())) {
    unsigned index = param->getFunctionScopeIndex();
    return index < call->getNumArgs() &&
                   param->getType()->isPointerType() == call->getArg(index)->getType()->isPointerType()
               ? call->getArg(index)
               : nullptr;
  }
  const auto* var = dyn_cast<VarDecl>(ref->getDecl());
  return var && var->hasGlobalStorage() && !var->isStaticLocal() ? lock : nullptr;
}

// A free function whose whole body is one lock operation on a global or on
// its parameter (`void lock_table() { pthread_mutex_lock(&table_mutex); }`):
// its callers lock and unlock through it, so the call is the operation.
std::optional<LockOp> wrappedLockOp(const CallExpr* call) {
  const FunctionDecl* callee = call->getDirectCallee();
  const FunctionDecl* definition = callee ? callee->getDefinition() : nullptr;
  const auto* body = definition ? dyn_cast_or_null<CompoundStmt>(definition->getBody()) : nullptr;
  if (!body || body->size() != 1 || isa<CXXMethodDecl>(definition)) return std::nullopt;
  const Stmt* only = body->body_front();
  if (const auto* ret = dyn_cast<ReturnStmt>(only)) only = ret->getRetValue();
  const auto* inner = dyn_cast_or_null<CallExpr>(only ? cast<Expr>(only)->IgnoreParenCasts() : nullptr);
  auto op = inner ? directLockOp(inner) : std::nullopt;
  if (!op || op->locks.empty()) return std::nullopt;
  for (const Expr*& lock : op->locks) {
    lock = lockAtCallSite(lock, call);
    if (!lock) return std::nullopt;
  }
  return op;
}

}  // namespace

std::optional<LockOp> classifyLockCall(const CallExpr* call) {
  if (auto op = directLockOp(call)) return op;
  return wrappedLockOp(call);
}

std::optional<GuardInit> classifyGuardConstruction(const CXXConstructExpr* construct) {
  const CXXRecordDecl* record = construct->getConstructor()->getParent();
  if (!isStdGuard(record) && !isUserGuard(record)) return std::nullopt;
  GuardInit init;
  if (plainQualifiedName(record) == "std::shared_lock") init.mode = LockMode::Shared;
  for (const Expr* arg : construct->arguments()) {
    std::string tag = tagName(arg);
    if (tag == "std::defer_lock_t")
      init.start = GuardStart::Defer;
    else if (tag == "std::adopt_lock_t")
      init.start = GuardStart::Adopt;
    else if (tag == "std::try_to_lock_t")
      init.start = GuardStart::Try;
    else if (isLockType(arg->getType()))
      init.locks.push_back(arg);
  }
  if (init.locks.empty()) return std::nullopt;  // default-constructed or moved-from guard
  return init;
}

std::optional<GuardOp> classifyGuardCall(const CXXMemberCallExpr* call) {
  const CXXMethodDecl* method = call->getMethodDecl();
  const auto* object = dyn_cast_or_null<DeclRefExpr>(
      call->getImplicitObjectArgument() ? call->getImplicitObjectArgument()->IgnoreParenImpCasts() : nullptr);
  if (!method || !object || !isGuardType(object->getType())) return std::nullopt;
  const auto* guard = dyn_cast<VarDecl>(object->getDecl());
  if (!guard) return std::nullopt;
  if (isa<CXXConversionDecl>(method)) return GuardOp{GuardOpKind::OwnsLock, guard};  // `if (lk)`
  if (!method->getIdentifier()) return std::nullopt;
  auto kind = llvm::StringSwitch<std::optional<GuardOpKind>>(method->getName())
                  .Case("lock", GuardOpKind::Lock)
                  .Cases("try_lock", "try_lock_for", "try_lock_until", GuardOpKind::TryLock)
                  .Case("unlock", GuardOpKind::Unlock)
                  .Case("release", GuardOpKind::Release)
                  .Case("owns_lock", GuardOpKind::OwnsLock)
                  .Default(std::nullopt);
  if (!kind) return std::nullopt;
  return GuardOp{*kind, guard};
}

std::optional<std::string> declaredLockIdentity(const Expr* lock) {
  const Expr* e = stripLockExpr(lock);
  if (const auto* ref = dyn_cast<DeclRefExpr>(e))
    if (const auto* var = dyn_cast<VarDecl>(ref->getDecl()); var && var->hasGlobalStorage())
      return variableId(var);
  if (const auto* member = dyn_cast<MemberExpr>(e)) {
    const ValueDecl* decl = member->getMemberDecl();
    if (const auto* field = dyn_cast<FieldDecl>(decl)) return fieldId(field);
    return plainQualifiedName(decl);
  }
  return std::nullopt;
}

namespace {

// The local variable an array index names: `i` in `a[i]`, and in `a[(i + 1) % n]`
// the variable the dividend is computed from.
const VarDecl* indexVariable(const Expr* index) {
  index = index->IgnoreParenImpCasts();
  if (const auto* binary = dyn_cast<BinaryOperator>(index); binary && binary->isAdditiveOp())
    return indexVariable(binary->getLHS()) ? indexVariable(binary->getLHS())
                                           : indexVariable(binary->getRHS());
  const auto* ref = dyn_cast<DeclRefExpr>(index);
  const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  return var && var->hasLocalStorage() ? var : nullptr;
}

}  // namespace

LockInstance lockInstance(const Expr* lock) {
  const Expr* e = stripLockExpr(lock);
  if (const auto* member = dyn_cast<MemberExpr>(e)) {
    const auto* ref = dyn_cast<DeclRefExpr>(stripLockExpr(member->getBase()));
    const auto* param = ref ? dyn_cast<ParmVarDecl>(ref->getDecl()) : nullptr;
    return param && holdsLock(param->getType()) ? "$" + std::to_string(param->getFunctionScopeIndex()) : "";
  }
  const auto* subscript = dyn_cast<ArraySubscriptExpr>(e);
  if (!subscript) return "";
  const Expr* index = subscript->getIdx()->IgnoreParenImpCasts();
  if (const auto* ref = dyn_cast<DeclRefExpr>(index)) {
    const auto* var = dyn_cast<VarDecl>(ref->getDecl());
    return var && var->hasLocalStorage() ? "[" + var->getNameAsString() + "]" : "";
  }
  const auto* modulo = dyn_cast<BinaryOperator>(index);
  const VarDecl* var = modulo && modulo->getOpcode() == BO_Rem ? indexVariable(modulo->getLHS()) : nullptr;
  return var ? "[" + var->getNameAsString() + "]%" : "";
}

bool holdsLock(QualType type) {
  type = type.getNonReferenceType();
  if (type->isPointerType()) type = type->getPointeeType();
  const RecordDecl* record = type->getAsRecordDecl();
  if (!record || !record->getDefinition()) return false;
  for (const FieldDecl* field : record->getDefinition()->fields())
    if (!field->getType()->isPointerType() && !field->getType()->isReferenceType() &&
        isLockType(field->getType()))
      return true;
  return false;
}

std::vector<RequiredLock> requiredLocks(const FunctionDecl* function) {
  std::vector<RequiredLock> locks;
  for (const auto* attr : function->specific_attrs<RequiresCapabilityAttr>())
    for (const Expr* arg : attr->args())
      if (!namesNoLock(arg))
        locks.push_back({arg, attr->isShared() ? LockMode::Shared : LockMode::Exclusive});
  return locks;
}

const ParmVarDecl* parameterAlias(const VarDecl* var) {
  if (!var->isLocalVarDecl() || !var->getType()->isPointerType() || !var->getInit()) return nullptr;
  const auto* ref = dyn_cast<DeclRefExpr>(var->getInit()->IgnoreParenCasts());
  // A lambda's capture of its enclosing function's parameter is not its own.
  if (!ref || ref->refersToEnclosingVariableOrCapture()) return nullptr;
  const auto* param = dyn_cast<ParmVarDecl>(ref->getDecl());
  return param && param->getType()->isPointerType() ? param : nullptr;
}

std::string lockIdentity(const Expr* lock, const FunctionDecl* function) {
  if (auto declared = declaredLockIdentity(lock)) return *declared;
  const Expr* e = stripLockExpr(lock);
  if (const auto* ref = dyn_cast<DeclRefExpr>(e)) {
    std::string local = functionName(function) + "::" + ref->getDecl()->getNameAsString();
    if (const auto* param = dyn_cast<ParmVarDecl>(ref->getDecl()))
      return makeParameterLock(param->getFunctionScopeIndex(), local);
    if (const auto* var = dyn_cast<VarDecl>(ref->getDecl())) {
      // A later assignment to the local is not followed.
      if (const ParmVarDecl* param = parameterAlias(var))
        return makeParameterLock(param->getFunctionScopeIndex(), local);
      return local;
    }
  }
  if (const auto* subscript = dyn_cast<ArraySubscriptExpr>(e))
    return lockIdentity(subscript->getBase(), function) + "[]";
  // Anything else (a call returning a mutex, pointer arithmetic) is named by
  // its spelling, which at least keeps equal expressions equal.
  std::string text;
  llvm::raw_string_ostream out(text);
  e->printPretty(out, nullptr, function->getASTContext().getPrintingPolicy());
  return out.str();
}

}  // namespace conc::lint
