// Shared variables and their ids.
#include "analyses/shared_data.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>

#include "analyses/ast_names.h"
#include "analyses/lock_api.h"
#include "analyses/var_facts.h"

namespace conc::lint {
namespace {

using namespace clang;

const char* const kSyncTypedefs[] = {
    "pthread_cond_t", "pthread_t", "pthread_once_t", "pthread_barrier_t", "pthread_key_t", "pthread_attr_t",
    "sem_t",          "cnd_t",     "thrd_t",         "once_flag",         "atomic_flag"};

const char* const kSyncClassPrefixes[] = {"std::atomic",           "std::condition_variable",
                                          "std::thread",           "std::jthread",
                                          "std::once_flag",        "std::counting_semaphore",
                                          "std::binary_semaphore", "std::latch",
                                          "std::barrier",          "std::future",
                                          "std::shared_future",    "std::promise",
                                          "std::stop_source",      "std::stop_token"};

bool hasSyncTypedef(QualType type) {
  while (const auto* typedefType = type->getAs<TypedefType>()) {
    for (const char* name : kSyncTypedefs)
      if (typedefType->getDecl()->getName() == name) return true;
    type = typedefType->desugar();
  }
  return false;
}

}  // namespace

bool isSynchronizationType(QualType type) {
  type = type.getNonReferenceType();
  while (const ArrayType* array = type->getAsArrayTypeUnsafe()) type = array->getElementType();
  if (type->isAtomicType() || hasSyncTypedef(type) || isLockType(type) || isGuardType(type)) return true;
  const CXXRecordDecl* record = type->getAsCXXRecordDecl();
  if (!record) return false;
  std::string name = plainQualifiedName(record);
  for (const char* prefix : kSyncClassPrefixes)
    if (llvm::StringRef(name).starts_with(prefix)) return true;
  return false;
}

// Whether data of this type, declared at `decl`, can be raced on at all.
static bool isDataType(QualType type, const Decl* decl) {
  if (type.isConstQualified() || isSynchronizationType(type)) return false;
  if (const ArrayType* array = type->getAsArrayTypeUnsafe();
      array && array->getElementType().isConstQualified())
    return false;
  return !inSystemHeader(decl->getASTContext().getSourceManager(), decl->getLocation());
}

// The lock GUARDED_BY(mu) (or PT_GUARDED_BY(mu), for what the pointer points
// to) names for a field or variable ("" when none).
template <typename Attribute>
static std::string guardedBy(const Decl* decl) {
  const auto* attr = decl->getAttr<Attribute>();
  std::optional<std::string> lock = attr ? declaredLockIdentity(attr->getArg()) : std::nullopt;
  return lock.value_or("");
}

// An index taken modulo something (`(id + 1) % n`, written there or in the
// initialiser of the local used as the index, if the local keeps it) goes
// around a ring: a thread indexing so reaches its neighbour's slot, or a ring
// buffer's next one, not a slot of its own.
static bool ringIndex(const Expr* index) {
  auto modulo = [](const Expr* e) {
    const auto* op = dyn_cast<BinaryOperator>(e->IgnoreParenImpCasts());
    return op && op->getOpcode() == BO_Rem;
  };
  index = index->IgnoreParenImpCasts();
  const auto* ref = dyn_cast<DeclRefExpr>(index);
  const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (var && var->isLocalVarDecl() && var->getInit()) {
    return modulo(var->getInit()) && keepsInitializer(var);  // the walk only for a modulo
  }
  return modulo(index);
}

// The indices on the way to an element: computed ones partition an array
// between threads (see SharedLocation::partitioned), unless one of them goes
// around a ring.
class Indexing {
 public:
  void add(const ArraySubscriptExpr* subscript, const ASTContext& context) {
    const Expr* index = subscript->getIdx();
    ring_ = ring_ || ringIndex(index);
    computed_ = computed_ || index->isValueDependent() || !index->isIntegerConstantExpr(context);
  }
  bool partitioned() const { return computed_ && !ring_; }

 private:
  bool computed_ = false;
  bool ring_ = false;
};

// One step into an lvalue that stays within the same object: a cast other
// than a load, or an element of an array (not of a pointer: that reaches a
// pointee), its index noted in `indexing`. Null when `e` is neither.
static const Expr* withinObject(const Expr* e, Indexing& indexing, const ASTContext& context) {
  if (const auto* cast = dyn_cast<ImplicitCastExpr>(e); cast && cast->getCastKind() != CK_LValueToRValue)
    return cast->getSubExpr();
  const auto* subscript = dyn_cast<ArraySubscriptExpr>(e);
  const auto* decay = subscript ? dyn_cast<ImplicitCastExpr>(subscript->getBase()->IgnoreParens()) : nullptr;
  if (!decay || decay->getCastKind() != CK_ArrayToPointerDecay) return nullptr;
  indexing.add(subscript, context);
  return decay->getSubExpr();
}

// What `*p`, `p->x` and `p[i]` reach through a pointer declared
// PT_GUARDED_BY(mu): one location per pointer, `*p`, guarded by `mu`. Other
// pointees are not tracked (where they point is not known).
static std::optional<SharedLocation> guardedPointee(const Expr* pointer, bool partitioned) {
  pointer = pointer->IgnoreParenImpCasts();
  const ValueDecl* decl = nullptr;
  bool viaThis = false;
  if (const auto* member = dyn_cast<MemberExpr>(pointer);
      member && isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts())) {
    decl = member->getMemberDecl();
    viaThis = true;
  } else if (const auto* ref = dyn_cast<DeclRefExpr>(pointer)) {
    decl = ref->getDecl();
  }
  std::string lock = decl ? guardedBy<PtGuardedByAttr>(decl) : "";
  if (lock.empty()) return std::nullopt;
  const auto* field = dyn_cast<FieldDecl>(decl);
  const auto* var = dyn_cast<VarDecl>(decl);
  if (!field && !(var && var->hasGlobalStorage())) return std::nullopt;
  return SharedLocation{"*" + (field ? fieldId(field) : variableId(var)), viaThis, partitioned, lock};
}

std::optional<SharedLocation> sharedLocation(const Expr* lvalue, const ASTContext& context) {
  Indexing indexing;
  const Expr* e = lvalue;
  while (true) {
    e = e->IgnoreParens();
    if (const Expr* inner = withinObject(e, indexing, context)) {
      e = inner;
    } else if (const auto* member = dyn_cast<MemberExpr>(e); member && !member->isArrow()) {
      e = member->getBase();
    } else if (const auto* member = dyn_cast<MemberExpr>(e);
               member && !isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts())) {
      return guardedPointee(member->getBase(), indexing.partitioned());
    } else if (const auto* deref = dyn_cast<UnaryOperator>(e); deref && deref->getOpcode() == UO_Deref) {
      return guardedPointee(deref->getSubExpr(), indexing.partitioned());
    } else if (const auto* subscript = dyn_cast<ArraySubscriptExpr>(e)) {  // of a pointer
      indexing.add(subscript, context);
      return guardedPointee(subscript->getBase(), indexing.partitioned());
    } else {
      break;
    }
  }
  if (const auto* member = dyn_cast<MemberExpr>(e);
      member && isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts())) {
    const auto* field = dyn_cast<FieldDecl>(member->getMemberDecl());
    if (!field || !isDataType(field->getType(), field)) return std::nullopt;
    return SharedLocation{fieldId(field), true, indexing.partitioned(), guardedBy<GuardedByAttr>(field)};
  }
  const auto* ref = dyn_cast<DeclRefExpr>(e);
  const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (!var || !var->hasGlobalStorage() || var->getTLSKind() != VarDecl::TLS_None || var->isConstexpr() ||
      !isDataType(var->getType(), var))
    return std::nullopt;
  return SharedLocation{variableId(var), false, indexing.partitioned(), guardedBy<GuardedByAttr>(var)};
}

std::optional<FieldAccess> fieldThroughPointer(const Expr* lvalue, const ASTContext& context) {
  Indexing indexing;
  const Expr* e = lvalue;
  while (true) {
    e = e->IgnoreParens();
    if (const Expr* inner = withinObject(e, indexing, context)) {
      e = inner;
    } else if (const auto* member = dyn_cast<MemberExpr>(e)) {
      const Expr* base = member->getBase()->IgnoreParens();
      const auto* deref = dyn_cast<UnaryOperator>(base);
      const auto* ref = dyn_cast<DeclRefExpr>(base);
      const auto* local = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
      bool direct = member->isArrow() || (deref && deref->getOpcode() == UO_Deref) ||
                    (local && local->hasLocalStorage() && !local->getType()->isReferenceType());
      if (!direct) {
        if (isa<CXXThisExpr>(base->IgnoreImpCasts())) return std::nullopt;
        e = member->getBase();
        continue;
      }
      const auto* field = dyn_cast<FieldDecl>(member->getMemberDecl());
      if (!field || !isDataType(field->getType(), field)) return std::nullopt;
      FieldAccess access{field, nullptr, nullptr, indexing.partitioned(), guardedBy<GuardedByAttr>(field)};
      if (member->isArrow())
        access.pointer = base;
      else if (deref && deref->getOpcode() == UO_Deref)
        access.pointer = deref->getSubExpr();
      else
        access.object = local;
      return access;
    } else if (const auto* deref = dyn_cast<UnaryOperator>(e); deref && deref->getOpcode() == UO_Deref) {
      QualType type = deref->getType();
      if (type.isConstQualified() || isSynchronizationType(type)) return std::nullopt;
      return FieldAccess{nullptr, deref->getSubExpr(), nullptr, indexing.partitioned(), ""};
    } else {
      return std::nullopt;
    }
  }
}

std::string variableId(const VarDecl* var) {
  // The defining file keeps apart the same name in separate programs analyzed
  // together (and two files' statics); a unit that only sees an `extern`
  // declaration names the variable bare, and the program model links it.
  const VarDecl* definition = var->getDefinition();
  if (!definition) definition = var->getActingDefinition();  // C's tentative `int x;`
  if (!definition) return plainQualifiedName(var);
  Location loc = makeLocation(var->getASTContext().getSourceManager(), definition->getLocation());
  return plainQualifiedName(var) + "@" + loc.file;
}

std::string fieldId(const FieldDecl* field) {
  return rememberedName(field, NameKind::FieldId, [&] {
    const RecordDecl* record = field->getParent();
    Location loc = makeLocation(field->getASTContext().getSourceManager(), record->getLocation());
    return plainQualifiedName(record) + "::" + field->getNameAsString() + "@" + loc.file;
  });
}

std::string displayName(const std::string& id) {
  // `*f::p@file:line->Class::field@file` is `p->field`, `&f::t@...->...`
  // `t.field`, `&g@file->...` `g.field`, `*f::p@file:line->` `*p`.
  size_t arrow = id.find("->");
  if ((id.starts_with('*') || id.starts_with('&')) && arrow != std::string::npos) {
    std::string object = displayName(id.substr(1, arrow - 1));
    std::string field = displayName(id.substr(arrow + 2));
    auto unqualified = [](const std::string& name) {
      size_t scope = name.rfind("::");
      return scope == std::string::npos ? name : name.substr(scope + 2);
    };
    if (field.empty()) return "*" + unqualified(object);  // the whole pointee
    return unqualified(object) + (id[0] == '*' ? "->" : ".") + unqualified(field);
  }
  return id.substr(0, id.find('@'));
}

}  // namespace conc::lint
