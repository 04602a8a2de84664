// Summarizes every user function of a translation unit (functions, methods,
// lambdas, template instantiations; nothing from system headers).
#pragma once

#include <memory>

#include <clang/AST/ASTContext.h>
#include <clang/Frontend/FrontendAction.h>

#include "analyses/summary.h"

namespace conc::lint {

ProgramSummary summarizeTranslationUnit(clang::ASTContext& context);

// A frontend action that summarizes its unit into `out`, unless the unit had
// errors (a broken AST gives misleading summaries).
std::unique_ptr<clang::FrontendAction> makeSummarizeAction(ProgramSummary& out);

}  // namespace conc::lint
