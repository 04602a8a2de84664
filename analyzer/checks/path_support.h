// Helpers the path checks share on top of the program's PathFacts: how a lock
// is named in messages and how a finding starts.
#pragma once

#include <string>

#include "analyses/path_facts.h"
#include "checks/check.h"

namespace conc::lint {

// A lock's name as users know it: `m`, or the parameter's name.
std::string lockName(const std::string& lock);

// A finding of `check` with its default severity.
Finding finding(const Check& check, const Location& loc, std::string message);

}  // namespace conc::lint
