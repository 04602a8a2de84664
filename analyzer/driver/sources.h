// Finds the C and C++ sources under the PATHs given on the command line, and
// the include folders of those trees (used when no compile database is).
#pragma once

#include <string>
#include <vector>

#include <llvm/ADT/StringRef.h>

namespace conc::lint {

struct SourceSet {
  std::vector<std::string> files;        // absolute, sorted, unique
  std::vector<std::string> includeDirs;  // absolute
  std::vector<std::string> errors;       // one line each, for missing paths
  std::vector<std::string> skipped;      // one line each, for files found but not analyzable
};

bool isSourceFile(llvm::StringRef path);
bool isCSource(llvm::StringRef path);

SourceSet discoverSources(const std::vector<std::string>& paths);

}  // namespace conc::lint
