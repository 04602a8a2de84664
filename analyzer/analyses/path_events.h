// Path events: what a path-sensitive walk over one function's CFG finds for
// the checks that reason about single paths (a lock still held at a return, a
// thread destroyed while joinable, a wait outside a loop...). The walk tracks
// locks held on some path (not only on all paths, as the lockset summary
// does), guard ownership, joinable std::thread locals and the child branch of
// fork(). The events (see PathEvent in summary.h) are plain data in the
// function's summary; the checks add the whole-program facts (callers, thread
// entries) before reporting.
#pragma once

#include <vector>

#include <clang/AST/Decl.h>
#include <clang/Analysis/CFG.h>

#include "analyses/summary.h"

namespace conc::lint {

// `cfg` is the function's CFG as summarizeFunction builds it (implicit and
// temporary destructors, initializers, every statement an element).
std::vector<PathEvent> collectPathEvents(const clang::FunctionDecl* function, const clang::CFG& cfg);

}  // namespace conc::lint
