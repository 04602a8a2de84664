// Recursive source discovery.
#include "driver/sources.h"

#include <algorithm>

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace conc::lint {
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

bool isSourceFile(llvm::StringRef file) {
  llvm::StringRef ext = path::extension(file);
  return ext == ".c" || ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".c++" || ext == ".C";
}

bool isCSource(llvm::StringRef file) { return path::extension(file) == ".c"; }

static std::string absolute(llvm::StringRef file) {
  llvm::SmallString<256> full(file);
  fs::make_absolute(full);
  path::remove_dots(full, true);
  return std::string(full);
}

// Hidden folders (.git) and CMake's scratch folders hold no project sources.
static bool skippedFolder(llvm::StringRef dir) {
  llvm::StringRef name = path::filename(dir);
  return (name.starts_with(".") && name != "." && name != "..") || name == "CMakeFiles";
}

static void walk(const std::string& root, SourceSet& set) {
  set.includeDirs.push_back(root);
  std::error_code error;
  for (fs::recursive_directory_iterator it(root, error), end; it != end && !error; it.increment(error)) {
    auto type = it->type();
    if (type == fs::file_type::directory_file) {
      if (skippedFolder(it->path()))
        it.no_push();
      else if (path::filename(it->path()) == "include")
        set.includeDirs.push_back(it->path());
    } else if (isSourceFile(it->path())) {
      set.files.push_back(it->path());
    }
  }
}

SourceSet discoverSources(const std::vector<std::string>& paths) {
  SourceSet set;
  for (const std::string& given : paths) {
    std::string full = absolute(given);
    fs::file_status status;
    if (fs::status(full, status)) {
      set.errors.push_back(given + ": no such file or directory");
    } else if (fs::is_directory(status)) {
      walk(full, set);
    } else if (isSourceFile(full)) {
      set.files.push_back(full);
    } else {
      set.errors.push_back(given +
                           ": not a C or C++ source file (headers are analyzed "
                           "through the sources that include them)");
    }
  }
  std::sort(set.files.begin(), set.files.end());
  set.files.erase(std::unique(set.files.begin(), set.files.end()), set.files.end());
  return set;
}

}  // namespace conc::lint
