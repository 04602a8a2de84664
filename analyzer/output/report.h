// What a run produced (findings, the checks that ran, statistics) and the
// writers for the three output formats: clang-style text, JSON and SARIF.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include "checks/check.h"

namespace conc::lint {

struct RunStats {
  size_t files = 0;             // source files considered
  size_t translationUnits = 0;  // of those, analyzed
  size_t errors = 0;            // error lines printed
  double seconds = 0;
};

struct Report {
  std::vector<Finding> findings;
  std::vector<const Check*> checks;
  RunStats stats;
};

// `path` relative to the working directory when it lies below it.
std::string displayPath(const std::string& path);

// The docs page of a check: docs/checks/<id>.md in the installed copy
// (PREFIX/share/doc/conc beside PREFIX/bin/conc-lint), else in the source tree
// conc-lint was built from. An absolute path.
std::string docsPage(llvm::StringRef checkId);

// The finding's one-line fix (its "fix: ..." note without the prefix); every
// check gives one.
std::string fixAdvice(const Finding& finding);

void writeText(const Report& report, llvm::raw_ostream& out, bool color);
llvm::json::Value jsonReport(const Report& report);
llvm::json::Value sarifReport(const Report& report);

}  // namespace conc::lint
