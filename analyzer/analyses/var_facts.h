// How a function's body treats its variables: how often each is assigned (an
// initializer counts), whether a definition or the declaration sits in a
// loop, and whether the variable escapes plain reads and assignments (its
// address taken, `p++`, `p += n`, bound to a reference). The summarizer asks
// which locals still hold what they were given; the shared-data rules ask
// whether a local index still holds its initializer.
#pragma once

#include <map>

#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

namespace conc::lint {

struct VarFacts {
  unsigned definitions = 0;
  bool definedInLoop = false;
  bool declaredInLoop = false;
  bool escapes = false;

  // Still holds what it was given: assigned by its initializer only (a
  // parameter: never), its address never taken.
  bool keepsInitialValue(bool parameter = false) const {
    return definitions == (parameter ? 0u : 1u) && !escapes;
  }
};

std::map<const clang::VarDecl*, VarFacts> variableFacts(const clang::Stmt* body);

// A local that is only ever its initializer: assigned nowhere else, its
// address never taken.
bool keepsInitializer(const clang::VarDecl* var);

}  // namespace conc::lint
