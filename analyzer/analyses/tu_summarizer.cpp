// Walks a translation unit and summarizes its functions.
#include "analyses/tu_summarizer.h"

#include <set>

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/Attr.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Frontend/CompilerInstance.h>

#include "analyses/ast_names.h"
#include "analyses/function_summarizer.h"
#include "analyses/lock_api.h"
#include "analyses/shared_data.h"

namespace conc::lint {
namespace {

using namespace clang;

class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
 public:
  explicit FunctionCollector(ProgramSummary& out) : out_(out) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }

  bool VisitFunctionDecl(FunctionDecl* function) {
    summarize(function);
    return true;
  }

  bool VisitLambdaExpr(LambdaExpr* lambda) {
    summarize(lambda->getCallOperator());
    return true;
  }

  bool VisitFieldDecl(FieldDecl* field) {
    noteDeclaredOrder(field, fieldId(field));
    return true;
  }

  bool VisitVarDecl(VarDecl* var) {
    if (var->hasGlobalStorage()) noteDeclaredOrder(var, variableId(var));
    return true;
  }

 private:
  // ACQUIRED_AFTER(a) on `b`: a before b; ACQUIRED_BEFORE(c) on `b`: b before c.
  void noteDeclaredOrder(const Decl* lock, const std::string& id) {
    if (!lock->hasAttrs()) return;
    Location loc = makeLocation(lock->getASTContext().getSourceManager(), lock->getLocation());
    for (const auto* attr : lock->specific_attrs<AcquiredAfterAttr>())
      for (const Expr* arg : attr->args())
        if (auto before = declaredLockIdentity(arg)) out_.declaredOrders.insert({*before, id, loc});
    for (const auto* attr : lock->specific_attrs<AcquiredBeforeAttr>())
      for (const Expr* arg : attr->args())
        if (auto after = declaredLockIdentity(arg)) out_.declaredOrders.insert({id, *after, loc});
  }

  void summarize(const FunctionDecl* function) {
    if (!function->doesThisDeclarationHaveABody() || function->isDependentContext() ||
        (function->isImplicit() && !isa<CXXMethodDecl>(function)) ||
        inSystemHeader(function->getASTContext().getSourceManager(), function->getLocation()) ||
        !seen_.insert(function).second)
      return;
    if (auto summary = summarizeFunction(function)) out_.add(std::move(*summary));
  }

  ProgramSummary& out_;
  std::set<const FunctionDecl*> seen_;
};

class SummarizeConsumer : public ASTConsumer {
 public:
  SummarizeConsumer(CompilerInstance& compiler, ProgramSummary& out) : compiler_(compiler), out_(out) {}

  void HandleTranslationUnit(ASTContext& context) override {
    if (!compiler_.getDiagnostics().hasErrorOccurred()) out_.merge(summarizeTranslationUnit(context));
  }

 private:
  CompilerInstance& compiler_;
  ProgramSummary& out_;
};

class SummarizeAction : public ASTFrontendAction {
 public:
  explicit SummarizeAction(ProgramSummary& out) : out_(out) {}

 protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& compiler, llvm::StringRef) override {
    return std::make_unique<SummarizeConsumer>(compiler, out_);
  }

 private:
  ProgramSummary& out_;
};

}  // namespace

ProgramSummary summarizeTranslationUnit(ASTContext& context) {
  NameCacheScope names;
  ProgramSummary program;
  FunctionCollector collector(program);
  // Skipping the system headers' declarations up front saves walking the
  // whole standard library in every unit.
  for (Decl* decl : context.getTranslationUnitDecl()->decls())
    if (!inSystemHeader(context.getSourceManager(), decl->getLocation())) collector.TraverseDecl(decl);
  return program;
}

std::unique_ptr<FrontendAction> makeSummarizeAction(ProgramSummary& out) {
  return std::make_unique<SummarizeAction>(out);
}

}  // namespace conc::lint
