// fork: the child of a multithreaded process may find the engine's internal
// locks held by threads that no longer exist, so it runs with detection
// switched off (its own reports would be unreliable anyway). The parent is
// unaffected. Documented in docs/runtime.md.
#include <unistd.h>

#include "interceptors/interceptor.h"

namespace conc::rt {
namespace {
CONC_REAL(fork);
}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT pid_t fork() noexcept {
  pid_t pid = real_fork();
  if (pid == 0) disable_detection_after_fork();
  return pid;
}
