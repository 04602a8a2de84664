// Reading suppression comments from the sources.
#include "output/suppressions.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>
#include <cstring>

#include "output/source_lines.h"

namespace conc::lint {
namespace {

// Whether `line` carries `conc-lint: ignore[...]` naming `check` (or `*`).
bool suppresses(llvm::StringRef line, llvm::StringRef check) {
  size_t at = line.find("conc-lint: ignore[");
  if (at == llvm::StringRef::npos) return false;
  llvm::StringRef ids = line.drop_front(at + strlen("conc-lint: ignore[")).split(']').first;
  llvm::SmallVector<llvm::StringRef> names;
  ids.split(names, ',');
  for (llvm::StringRef name : names)
    if (name.trim() == check || name.trim() == "*") return true;
  return false;
}

}  // namespace

std::vector<Finding> dropSuppressed(std::vector<Finding> findings) {
  SourceLines sources;
  std::vector<Finding> kept;
  for (Finding& finding : findings) {
    unsigned number = finding.loc.line;
    bool onLine = suppresses(sources.line(finding.loc.file, number), finding.check);
    llvm::StringRef previous = number > 1 ? sources.line(finding.loc.file, number - 1) : "";
    bool above = previous.ltrim().starts_with("//") && suppresses(previous, finding.check);
    if (!onLine && !above) kept.push_back(std::move(finding));
  }
  return kept;
}

}  // namespace conc::lint
