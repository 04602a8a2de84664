// Recognises ordering synchronization other than locks: the operations after
// which another thread's later operations on the same object see our earlier
// writes (release side), and those that see them (acquire side). Atomics by
// memory order (relaxed orders nothing), C11 atomics, semaphores, barriers,
// latches, condition variables, and promise/future pairs.
#pragma once

#include <string>
#include <vector>

#include <clang/AST/Expr.h>

namespace conc::lint {

struct SyncEvent {
  std::string object;  // a lock-style id of the synchronization object
  bool release = false;
  bool acquire = false;
};

// The events `s` performs, if it is a synchronizing operation.
std::vector<SyncEvent> syncEvents(const clang::Stmt* s, const clang::FunctionDecl* function);

}  // namespace conc::lint
