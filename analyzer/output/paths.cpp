// Paths as users see them.
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include "output/report.h"

namespace conc::lint {

std::string displayPath(const std::string& path) {
  llvm::SmallString<256> cwd;
  if (llvm::sys::fs::current_path(cwd)) return path;
  llvm::StringRef rest(path);
  if (!rest.consume_front(cwd) || !llvm::sys::path::is_separator(rest.front())) return path;
  return rest.drop_front().str();
}

}  // namespace conc::lint
