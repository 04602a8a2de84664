// Stable names for things in Clang's AST: function ids that agree across
// translation units, qualified names without inline namespaces, and source
// locations as absolute file paths.
#pragma once

#include <string>

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/Basic/SourceManager.h>
#include <llvm/ADT/STLFunctionalExtras.h>

#include "analyses/summary.h"

namespace conc::lint {

// "std::mutex" for std::__1::mutex or std::__cxx11::mutex alike.
std::string plainQualifiedName(const clang::NamedDecl* decl);

// While one is alive on a thread, the names below (and makeLocation's file
// paths) are printed once per declaration there: the walks ask for the same
// callees' and fields' names again and again, and printing one (or
// resolving a real path) costs more than the rest of the lookup.
// Declarations and file ids are only unique within one unit, so a scope
// must not outlive its unit.
class NameCacheScope {
 public:
  NameCacheScope();
  ~NameCacheScope();
  NameCacheScope(const NameCacheScope&) = delete;
  NameCacheScope& operator=(const NameCacheScope&) = delete;
};

// The kinds of names printed for a declaration, remembered apart.
enum class NameKind { Qualified, FunctionId, FieldId };

// print(), run once per declaration and kind within a NameCacheScope (every
// time outside one).
std::string rememberedName(const clang::Decl* decl, NameKind kind, llvm::function_ref<std::string()> print);

// The plain qualified name of the function a call calls directly; "" for
// calls through pointers and unnamed callees.
std::string calleeName(const clang::CallExpr* call);

// A function's id (its USR; lambdas by position) and its name for messages.
std::string functionId(const clang::FunctionDecl* function);
std::string functionName(const clang::FunctionDecl* function);

// The written position of `loc` (macro expansions map to their use).
Location makeLocation(const clang::SourceManager& sm, clang::SourceLocation loc);

// Whether `loc` is in a system header (the standard library, libc).
bool inSystemHeader(const clang::SourceManager& sm, clang::SourceLocation loc);

}  // namespace conc::lint
