// Paths as users see them, and where the docs are.
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

std::string docsPage(llvm::StringRef checkId) {
  static const std::string dir = [] {
    std::string exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
    llvm::SmallString<256> installed(llvm::sys::path::parent_path(llvm::sys::path::parent_path(exe)));
    llvm::sys::path::append(installed, "share", "doc", "conc");
    llvm::SmallString<256> real;
    if (!exe.empty() && !llvm::sys::fs::real_path(installed, real) && llvm::sys::fs::is_directory(real))
      return std::string(real);
    return std::string(CONC_DOCS_DIR);
  }();
  return dir + "/checks/" + checkId.str() + ".md";
}

std::string fixAdvice(const Finding& finding) {
  for (const RelatedLocation& note : finding.related)
    if (llvm::StringRef(note.message).starts_with("fix: ")) return note.message.substr(5);
  return "";
}

}  // namespace conc::lint
