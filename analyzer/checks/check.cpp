// Severity names and message helpers shared by the checks.
#include "checks/check.h"

#include <llvm/Support/Path.h>

#include "analyses/shared_data.h"

namespace conc::lint {

std::string_view severityName(Severity severity) {
  switch (severity) {
    case Severity::Note:
      return "note";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "warning";
}

std::string shortLocation(const Location& loc) {
  return llvm::sys::path::filename(loc.file).str() + ":" + std::to_string(loc.line);
}

std::string quoted(const std::string& id) { return "`" + displayName(id) + "`"; }

}  // namespace conc::lint
