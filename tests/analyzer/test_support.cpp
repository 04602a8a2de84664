// Snippet parsing for the unit tests.
#include "test_support.h"

#include <clang/Frontend/ASTUnit.h>
#include <clang/Tooling/Tooling.h>
#include <gtest/gtest.h>

#include "analyses/shared_data.h"
#include "analyses/tu_summarizer.h"
#include "checks/registry.h"

namespace conc::lint::test {

ProgramSummary summarize(const std::string& code, Language language) {
  bool isC = language == Language::C;
  std::vector<std::string> args = {isC ? "-std=gnu17" : "-std=gnu++20", "-pthread",
                                   "-resource-dir=" CONC_CLANG_RESOURCE_DIR};
  if (isC) args.insert(args.begin(), {"-x", "c"});
  std::unique_ptr<clang::ASTUnit> ast =
      clang::tooling::buildASTFromCodeWithArgs(code, args, isC ? "input.c" : "input.cc");
  EXPECT_TRUE(ast);
  EXPECT_FALSE(ast->getDiagnostics().hasErrorOccurred()) << "snippet does not compile";
  return summarizeTranslationUnit(ast->getASTContext());
}

const FunctionSummary& function(const ProgramSummary& program, const std::string& name) {
  for (const auto& [key, summary] : program.functions)
    if (summary.name == name) return summary;
  ADD_FAILURE() << "no summary for " << name;
  static const FunctionSummary none;
  return none;
}

std::vector<std::string> lockNames(const Lockset& locks) {
  std::vector<std::string> names;
  for (const HeldLock& lock : locks) names.push_back(displayName(lock.lock));
  return names;
}

std::vector<Access> accessesTo(const FunctionSummary& function, const std::string& name) {
  std::vector<Access> found;
  for (const Access& access : function.accesses)
    if (displayName(access.var) == name) found.push_back(access);
  return found;
}

std::vector<Finding> findings(const std::string& code, Language language) {
  return runChecks(allChecks(), buildProgramModel(summarize(code, language)));
}

std::vector<std::string> findingKeys(const std::vector<Finding>& found) {
  std::vector<std::string> keys;
  keys.reserve(found.size());
  for (const Finding& finding : found) keys.push_back(finding.check + ":" + std::to_string(finding.loc.line));
  return keys;
}

}  // namespace conc::lint::test
