#include "checks/path_support.h"

namespace conc::lint {

std::string lockName(const std::string& lock) {
  return quoted(isParameterLock(lock) ? parameterFallback(lock) : lock);
}

Finding finding(const Check& check, const Location& loc, std::string message) {
  return Finding{std::string(check.id()), check.defaultSeverity(), loc, std::move(message), {}};
}

}  // namespace conc::lint
