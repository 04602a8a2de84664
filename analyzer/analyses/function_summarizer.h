// Builds one function's summary from its Clang CFG. A forward dataflow tracks
// the locks held at each point (must-held: the intersection over all paths
// reaching it), RAII guards and their ownership, try-locks (held only on the
// branch where they succeeded) and whether threads this function started may
// still run. A final pass records accesses, acquisitions, calls and thread
// starts with the lockset in force at each.
#pragma once

#include <optional>

#include <clang/AST/Decl.h>

#include "analyses/summary.h"

namespace conc::lint {

// Null when the function has no body or no CFG can be built for it.
std::optional<FunctionSummary> summarizeFunction(const clang::FunctionDecl* function);

}  // namespace conc::lint
