// The check registry: every check conc-lint has, in one module, and the
// selection of the ones to run.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "checks/check.h"

namespace conc::lint {

std::unique_ptr<Check> makeUnguardedAccessCheck();
std::unique_ptr<Check> makeLockOrderInversionCheck();
std::unique_ptr<Check> makeLockLeakCheck();
std::unique_ptr<Check> makeDoubleLockCheck();
std::unique_ptr<Check> makeWaitWithoutLoopCheck();
std::unique_ptr<Check> makeWaitWithoutLockCheck();
std::unique_ptr<Check> makeBlockingUnderLockCheck();
std::unique_ptr<Check> makeThreadNotJoinedCheck();
std::unique_ptr<Check> makeForkInThreadsCheck();
std::unique_ptr<Check> makeLivelockRetryCheck();
std::unique_ptr<Check> makeCheckThenActCheck();

// All registered checks, in id order.
std::vector<std::unique_ptr<Check>> allChecks();

// Whether a check runs when nothing switches it on or off.
bool enabledByDefault(std::string_view id);

// The checks to run: those on by default, with `switches` (check id → on or
// off) applied on top. Unknown ids are ignored.
std::vector<std::unique_ptr<Check>> selectChecks(const std::map<std::string, bool>& switches);

// Runs `checks` and returns their findings sorted by place.
std::vector<Finding> runChecks(const std::vector<std::unique_ptr<Check>>& checks, const ProgramModel& model);

}  // namespace conc::lint
