// The module that registers every check.
#include "checks/registry.h"

#include <algorithm>
#include <tuple>

namespace conc::lint {

namespace {

struct Registration {
  std::unique_ptr<Check> (*make)();
  bool enabled;  // on by default
};

// In id order.
const Registration kChecks[] = {
    {makeBlockingUnderLockCheck, true},  {makeCheckThenActCheck, true},    {makeDoubleLockCheck, true},
    {makeForkInThreadsCheck, true},      {makeLivelockRetryCheck, true},   {makeLockLeakCheck, true},
    {makeLockOrderInversionCheck, true}, {makeThreadNotJoinedCheck, true}, {makeUnguardedAccessCheck, true},
    {makeWaitWithoutLockCheck, true},    {makeWaitWithoutLoopCheck, true},
};

}  // namespace

std::vector<std::unique_ptr<Check>> allChecks() {
  std::vector<std::unique_ptr<Check>> checks;
  for (const Registration& registration : kChecks) checks.push_back(registration.make());
  return checks;
}

bool enabledByDefault(std::string_view id) {
  for (const Registration& registration : kChecks)
    if (registration.make()->id() == id) return registration.enabled;
  return false;
}

std::vector<std::unique_ptr<Check>> selectChecks(const std::map<std::string, bool>& switches) {
  std::vector<std::unique_ptr<Check>> checks;
  for (const Registration& registration : kChecks) {
    std::unique_ptr<Check> check = registration.make();
    auto setting = switches.find(std::string(check->id()));
    if (setting == switches.end() ? registration.enabled : setting->second)
      checks.push_back(std::move(check));
  }
  return checks;
}

std::vector<Finding> runChecks(const std::vector<std::unique_ptr<Check>>& checks, const ProgramModel& model) {
  std::vector<Finding> findings;
  for (const auto& check : checks) {
    std::vector<Finding> found = check->run(model);
    findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
  }
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.loc, a.check, a.message) < std::tie(b.loc, b.check, b.message);
  });
  return findings;
}

}  // namespace conc::lint
