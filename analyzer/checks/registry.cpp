// The module that registers every check.
#include "checks/registry.h"

#include <algorithm>
#include <tuple>

namespace conc::lint {

std::vector<std::unique_ptr<Check>> allChecks() {
  std::vector<std::unique_ptr<Check>> checks;
  checks.push_back(makeLockOrderInversionCheck());
  checks.push_back(makeUnguardedAccessCheck());
  return checks;
}

std::vector<Finding> runChecks(const std::vector<std::unique_ptr<Check>> &checks,
                               const ProgramModel &model) {
  std::vector<Finding> findings;
  for (const auto &check : checks) {
    std::vector<Finding> found = check->run(model);
    findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
  }
  std::sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
    return std::tie(a.loc, a.check, a.message) < std::tie(b.loc, b.check, b.message);
  });
  return findings;
}

} // namespace conc::lint
