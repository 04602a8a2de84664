// Recursive source discovery.
#include "driver/sources.h"

#include <algorithm>
#include <set>

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include "output/report.h"

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

// Symbolic links are followed (a linked source folder is part of the tree),
// but a folder or file reached a second time is not visited again: a link to
// a parent folder would otherwise repeat the tree, once per link, until the
// path grows too long. A file that cannot be analyzed is one line in
// `skipped`; opening a FIFO named like a source would block forever.
static void walk(const std::string& root, SourceSet& set, std::set<fs::UniqueID>& seen) {
  set.includeDirs.push_back(root);
  if (fs::file_status status; !fs::status(root, status)) seen.insert(status.getUniqueID());
  auto skip = [&](const std::string& file, const std::string& why) {
    set.skipped.push_back(displayPath(file) + ": " + why + "; skipped");
  };
  std::error_code error;
  for (fs::recursive_directory_iterator it(root, error), end; it != end && !error; it.increment(error)) {
    const std::string& file = it->path();
    bool source = isSourceFile(file);
    fs::file_type type = it->type();
    if (type != fs::file_type::directory_file && type != fs::file_type::symlink_file && !source) continue;
    fs::file_status status;
    if (fs::status(file, status)) {
      if (source) skip(file, "dangling symbolic link");
      continue;
    }
    if (fs::is_directory(status)) {
      if (skippedFolder(file) || !seen.insert(status.getUniqueID()).second) {
        it.no_push();
        continue;
      }
      std::error_code unreadable;
      fs::directory_iterator probe(file, unreadable);
      if (unreadable) {
        skip(file, "folder cannot be read (" + unreadable.message() + ")");
        it.no_push();
      } else if (path::filename(file) == "include") {
        set.includeDirs.push_back(file);
      }
      continue;
    }
    if (!source || !seen.insert(status.getUniqueID()).second) continue;
    if (!fs::is_regular_file(status)) {
      skip(file, "not a regular file");
      continue;
    }
    int fd;
    if (std::error_code unreadable = fs::openFileForRead(file, fd)) {
      skip(file, "cannot be read (" + unreadable.message() + ")");
      continue;
    }
    fs::closeFile(fd);
    set.files.push_back(file);
  }
}

SourceSet discoverSources(const std::vector<std::string>& paths) {
  SourceSet set;
  std::set<fs::UniqueID> seen;
  for (const std::string& given : paths) {
    std::string full = absolute(given);
    fs::file_status status;
    if (fs::status(full, status)) {
      set.errors.push_back(given + ": no such file or directory");
    } else if (fs::is_directory(status)) {
      walk(full, set, seen);
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
