// conc-lint's command line, parsed with llvm::cl.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checks/check.h"

namespace conc::lint {

enum class OutputFormat { Text, Json, Sarif };
enum class ColorMode { Auto, Always, Never };

struct Options {
  std::vector<std::string> paths;
  std::string compileDatabaseDir;  // -p; empty to search
  unsigned jobs = 0;               // 0: all cores
  OutputFormat format = OutputFormat::Text;
  std::string outputFile;  // empty: stdout
  ColorMode color = ColorMode::Auto;
  std::optional<Severity> failOn;  // --fail-on; else the config's, else warning
  bool verbose = false;
  std::vector<std::string> extraArgs;
  std::string summariesFile;      // --dump-summaries
  std::string baselineFile;       // --baseline: report only findings not in it
  std::string writeBaselineFile;  // --write-baseline
  std::string graphFile;          // --graph: the lock-order graph (DOT, or SVG for *.svg)
};

// Null after a usage error (already reported on stderr).
std::optional<Options> parseOptions(int argc, const char** argv);

}  // namespace conc::lint
