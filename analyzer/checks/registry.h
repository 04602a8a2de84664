// The check registry: every check conc-lint has, in one module, and the
// selection of the ones to run.
#pragma once

#include <memory>
#include <vector>

#include "checks/check.h"

namespace conc::lint {

std::unique_ptr<Check> makeUnguardedAccessCheck();
std::unique_ptr<Check> makeLockOrderInversionCheck();

// All registered checks, in id order.
std::vector<std::unique_ptr<Check>> allChecks();

// Runs `checks` and returns their findings sorted by place.
std::vector<Finding> runChecks(const std::vector<std::unique_ptr<Check>> &checks,
                               const ProgramModel &model);

} // namespace conc::lint
