// Baselines: `--write-baseline FILE` records the current findings, and
// `--baseline FILE` reports only findings not recorded there, so a project
// can adopt conc-lint and fail CI on new findings only. A finding is
// recognised by its check, file, the text of its source line and its
// message without line numbers, so it survives code moving up or down.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "checks/check.h"

namespace conc::lint {

std::string fingerprint(const Finding& finding);

// Empty on success, else the reason.
std::string writeBaseline(const std::string& file, const std::vector<Finding>& findings);
std::string readBaseline(const std::string& file, std::set<std::string>& fingerprints);

std::vector<Finding> dropBaselined(std::vector<Finding> findings, const std::set<std::string>& fingerprints);

}  // namespace conc::lint
