// Runs the translation units in parallel, each through Clang and the
// summarizer, and merges their summaries. Units that do not parse are skipped
// with one line naming them; the compiler's own diagnostics are shown only
// when asked for.
#pragma once

#include <string>
#include <vector>

#include "analyses/summary.h"
#include "driver/compile_commands.h"

namespace conc::lint {

struct RunnerOptions {
  unsigned jobs = 1;
  bool verbose = false;   // print the compiler's diagnostics
  bool progress = false;  // a progress line (for terminals)
};

struct RunResult {
  ProgramSummary program;
  size_t analyzed = 0;
  std::vector<std::string> errors;  // one line each
};

RunResult runTranslationUnits(const std::vector<CompileJob>& jobs, const RunnerOptions& options);

}  // namespace conc::lint
