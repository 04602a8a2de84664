// Decides which locations are shared data worth checking for races, and how
// they are named. Shared: variables with static storage (globals, statics,
// static members) and fields reached through `this` (one location per class
// field, `Class::field`). Not shared: thread_local, const, atomics and other
// synchronization objects, locals, and what the system headers declare.
#pragma once

#include <optional>
#include <string>

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>

namespace conc::lint {

struct SharedLocation {
  std::string id;
  bool viaThis = false;  // a field of the object a method runs on
  bool partitioned = false;
  std::string guardedBy;  // the lock id a GUARDED_BY attribute names
};

// The shared location an lvalue designates (also through `.field` and
// `array[i]`), if any.
// `partitioned` is set for a[i] with a computed i: threads typically fill
// their own slots, so two such accesses are not assumed to collide.
std::optional<SharedLocation> sharedLocation(const clang::Expr* lvalue, const clang::ASTContext& context);

// A field reached through a pointer, `p->field` or `(*p).field` (`pointer`
// is `p`), or a field of a local object, `t.field` (`object` is `t`); parts
// count as the field (`p->field.x`, `p->array[i]`). Also the whole pointee,
// `*p` (no `field`). Only data (see sharedLocation); whether the object is
// shared is the caller's question.
struct FieldAccess {
  const clang::FieldDecl* field = nullptr;
  const clang::Expr* pointer = nullptr;
  const clang::VarDecl* object = nullptr;
  bool partitioned = false;
  std::string guardedBy;
};
std::optional<FieldAccess> fieldThroughPointer(const clang::Expr* lvalue, const clang::ASTContext& context);

// A variable's id: its qualified name, plus `@file` of its definition when the
// unit has it.
std::string variableId(const clang::VarDecl* var);

// A field's id: `Class::field@file` (the file of the class definition).
std::string fieldId(const clang::FieldDecl* field);

// The id as users spell it (without the `@file` part); a field reached
// through an object (see makePointeeId) as `p->field` or `t.field`.
std::string displayName(const std::string& id);

// Atomics, locks, condition variables, threads and the like.
bool isSynchronizationType(clang::QualType type);

}  // namespace conc::lint
