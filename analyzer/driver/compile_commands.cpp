// Compile database lookup and default commands.
#include "driver/compile_commands.h"

#include <algorithm>
#include <map>

#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace conc::lint {
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;
using clang::tooling::CompileCommand;

namespace {

std::string absolute(llvm::StringRef file, llvm::StringRef base = {}) {
  llvm::SmallString<256> full(file);
  if (!base.empty() && path::is_relative(full)) {
    full = base;
    path::append(full, file);
  }
  fs::make_absolute(full);
  path::remove_dots(full, true);
  return std::string(full);
}

// The first compile_commands.json in a PATH or above it.
std::string searchDatabase(const std::vector<std::string>& paths) {
  for (const std::string& given : paths) {
    std::string start = absolute(given);
    llvm::StringRef dir = fs::is_directory(start) ? llvm::StringRef(start) : path::parent_path(start);
    for (; !dir.empty(); dir = path::parent_path(dir)) {
      llvm::SmallString<256> candidate(dir);
      path::append(candidate, "compile_commands.json");
      if (fs::exists(candidate)) return std::string(candidate);
    }
  }
  return {};
}

bool within(const std::string& file, const std::vector<std::string>& paths) {
  for (const std::string& given : paths) {
    std::string scope = absolute(given);
    if (file == scope || (llvm::StringRef(file).starts_with(scope) && path::is_separator(file[scope.size()])))
      return true;
  }
  return false;
}

// Compile flags that only matter for writing outputs are dropped; the
// resource directory is pinned to the Clang we link against.
std::vector<std::string> adjust(std::vector<std::string> args, const std::string& file,
                                const std::vector<std::string>& extraArgs) {
  using namespace clang::tooling;
  for (const ArgumentsAdjuster& adjuster :
       {getClangSyntaxOnlyAdjuster(), getClangStripOutputAdjuster(), getClangStripDependencyFileAdjuster()})
    args = adjuster(args, file);
  // Warnings made errors (-Werror for the project's own compiler) must not
  // stop the analysis. No caret snippets: that also switches off clang's
  // "N errors generated." line.
  std::vector<std::string> added = {"-resource-dir=" CONC_CLANG_RESOURCE_DIR, "-Wno-error",
                                    "-Wno-unknown-warning-option", "-fno-caret-diagnostics"};
  added.insert(added.end(), extraArgs.begin(), extraArgs.end());
  return getInsertArgumentAdjuster(added, ArgumentInsertPosition::END)(args, file);
}

}  // namespace

std::vector<std::string> defaultCommand(const std::string& file,
                                        const std::vector<std::string>& includeDirs) {
  bool isC = isCSource(file);
  std::vector<std::string> args = {"clang", "-x", isC ? "c" : "c++", isC ? "-std=gnu17" : "-std=gnu++20",
                                   "-pthread"};
  for (const std::string& dir : includeDirs) args.push_back("-I" + dir);
  args.push_back(file);
  return args;
}

CompilePlan planCompilation(const std::vector<std::string>& paths, const SourceSet& sources,
                            const std::string& databaseDir, const std::vector<std::string>& extraArgs) {
  CompilePlan plan;
  if (!databaseDir.empty()) {
    llvm::SmallString<256> candidate(absolute(databaseDir));
    path::append(candidate, "compile_commands.json");
    if (fs::exists(candidate)) {
      plan.database = std::string(candidate);
    } else {
      plan.errors.push_back(databaseDir + ": no compile_commands.json there");
      plan.fatal = true;
    }
  } else {
    plan.database = searchDatabase(paths);
  }

  std::map<std::string, CompileCommand> known;
  if (!plan.database.empty()) {
    std::string error;
    auto database = clang::tooling::JSONCompilationDatabase::loadFromFile(
        plan.database, error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    if (!database) {
      plan.errors.push_back(plan.database + ": unusable compile database: " + error);
      plan.fatal = true;
      plan.database.clear();
    } else {
      // A stale database (a moved or cleaned tree) can name thousands of
      // missing files: the first few are named, the rest counted.
      constexpr size_t kMissingNamed = 10;
      size_t missing = 0;
      for (CompileCommand& command : database->getAllCompileCommands()) {
        std::string file = absolute(command.Filename, command.Directory);
        if (!within(file, paths)) continue;
        if (!fs::exists(file)) {
          if (++missing <= kMissingNamed)
            plan.errors.push_back(plan.database + ": entry for missing file " + file);
          continue;
        }
        known.try_emplace(file, std::move(command));
      }
      if (missing > kMissingNamed)
        plan.errors.push_back(plan.database + ": " + std::to_string(missing - kMissingNamed) +
                              " more entries for missing files");
    }
  }

  std::vector<std::string> files = sources.files;
  for (const auto& [file, command] : known) files.push_back(file);
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  for (const std::string& file : files) {
    auto entry = known.find(file);
    if (entry != known.end()) {
      plan.jobs.push_back(
          {file, entry->second.Directory, adjust(entry->second.CommandLine, file, extraArgs)});
    } else {
      plan.jobs.push_back({file, std::string(path::parent_path(file)),
                           adjust(defaultCommand(file, sources.includeDirs), file, extraArgs)});
      ++plan.defaulted;
    }
  }
  return plan;
}

}  // namespace conc::lint
