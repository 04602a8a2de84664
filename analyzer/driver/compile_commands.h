// Chooses the compile command for every source: from compile_commands.json
// when one is found (via -p, or in a PATH or one of its ancestors), or a
// default command otherwise (standard by extension, -pthread, the tree's
// include folders). Every command gets clang's resource directory so that
// <stddef.h> and friends resolve.
#pragma once

#include <string>
#include <vector>

#include "driver/sources.h"

namespace conc::lint {

struct CompileJob {
  std::string file;
  std::string directory;
  std::vector<std::string> args;  // a full command line, compiler first
};

struct CompilePlan {
  std::vector<CompileJob> jobs;
  std::vector<std::string> errors;  // one line each
  bool fatal = false;               // an unusable database or -p
  std::string database;             // the compile_commands.json used, if any
  size_t defaulted = 0;             // jobs that use the default command
};

CompilePlan planCompilation(const std::vector<std::string>& paths, const SourceSet& sources,
                            const std::string& databaseDir, const std::vector<std::string>& extraArgs);

// The command used for a source without a compile database entry.
std::vector<std::string> defaultCommand(const std::string& file, const std::vector<std::string>& includeDirs);

}  // namespace conc::lint
