// Names and locations taken from Clang's AST.
#include "analyses/ast_names.h"

#include <cstring>

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/Index/USRGeneration.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace conc::lint {

namespace {

struct UnitNames {
  llvm::DenseMap<std::pair<const clang::Decl*, unsigned>, std::string> decls;  // by NameKind
  llvm::DenseMap<clang::FileID, std::string> files;
};
thread_local UnitNames* t_names = nullptr;

// print(key), remembered in the scope's `map` when a scope is alive.
template <typename Key, typename Print>
std::string remembered(llvm::DenseMap<Key, std::string> UnitNames::*map, Key key, Print print) {
  if (!t_names) return print();
  auto& names = t_names->*map;
  if (auto found = names.find(key); found != names.end()) return found->second;
  // print() may remember names of its own, so no iterator lives across it.
  std::string name = print();
  return names.try_emplace(key, std::move(name)).first->second;
}

std::string printPlainQualifiedName(const clang::NamedDecl* decl) {
  std::string name = decl->getQualifiedNameAsString();
  for (const char* inlineNamespace : {"__1::", "__cxx11::", "__gnu_cxx::"}) {
    for (size_t at; (at = name.find(inlineNamespace)) != std::string::npos;)
      name.erase(at, std::strlen(inlineNamespace));
  }
  return name;
}

}  // namespace

NameCacheScope::NameCacheScope() { t_names = new UnitNames; }

NameCacheScope::~NameCacheScope() {
  delete t_names;
  t_names = nullptr;
}

std::string rememberedName(const clang::Decl* decl, NameKind kind, llvm::function_ref<std::string()> print) {
  return remembered(&UnitNames::decls, std::pair{decl, static_cast<unsigned>(kind)}, print);
}

std::string plainQualifiedName(const clang::NamedDecl* decl) {
  return rememberedName(decl, NameKind::Qualified, [&] { return printPlainQualifiedName(decl); });
}

std::string calleeName(const clang::CallExpr* call) {
  const clang::FunctionDecl* callee = call->getDirectCallee();
  return callee && callee->getDeclName() ? plainQualifiedName(callee) : "";
}

static const clang::CXXRecordDecl* lambdaClassOf(const clang::FunctionDecl* f) {
  const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(f);
  if (method && method->getParent()->isLambda()) return method->getParent();
  return nullptr;
}

static std::string positionText(const Location& loc) {
  return loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

static std::string printFunctionId(const clang::FunctionDecl* function) {
  const clang::SourceManager& sm = function->getASTContext().getSourceManager();
  // USRs of lambdas are not unique per lambda; their position is.
  if (const auto* lambda = lambdaClassOf(function))
    return "lambda@" + positionText(makeLocation(sm, lambda->getLocation()));
  llvm::SmallString<128> usr;
  if (clang::index::generateUSRForDecl(function->getCanonicalDecl(), usr))
    return "fn@" + functionName(function) + "@" + positionText(makeLocation(sm, function->getLocation()));
  return std::string(usr);
}

std::string functionId(const clang::FunctionDecl* function) {
  return rememberedName(function, NameKind::FunctionId, [&] { return printFunctionId(function); });
}

std::string functionName(const clang::FunctionDecl* function) {
  if (const auto* lambda = lambdaClassOf(function)) {
    const clang::SourceManager& sm = function->getASTContext().getSourceManager();
    Location loc = makeLocation(sm, lambda->getLocation());
    return "lambda at " + llvm::sys::path::filename(loc.file).str() + ":" + std::to_string(loc.line);
  }
  return plainQualifiedName(function);
}

// The real path is independent of the -I spelling and the working directory
// of the compile command that found the file.
static std::string filePath(const clang::SourceManager& sm, clang::FileID file, clang::SourceLocation loc) {
  llvm::SmallString<256> path;
  if (auto entry = sm.getFileEntryRefForID(file)) path = entry->getFileEntry().tryGetRealPathName();
  if (path.empty()) {
    path = sm.getFilename(loc);
    llvm::sys::fs::make_absolute(path);
  }
  llvm::sys::path::remove_dots(path, true);
  return std::string(path);
}

Location makeLocation(const clang::SourceManager& sm, clang::SourceLocation loc) {
  clang::SourceLocation written = sm.getExpansionLoc(loc);
  if (written.isInvalid()) return {};
  const auto [file, offset] = sm.getDecomposedLoc(written);
  return {remembered(&UnitNames::files, file, [&] { return filePath(sm, file, written); }),
          sm.getLineNumber(file, offset), sm.getColumnNumber(file, offset)};
}

bool inSystemHeader(const clang::SourceManager& sm, clang::SourceLocation loc) {
  return loc.isValid() && sm.isInSystemHeader(sm.getExpansionLoc(loc));
}

}  // namespace conc::lint
