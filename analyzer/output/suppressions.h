// Inline suppressions: a `// conc-lint: ignore[check-id] reason` comment on a
// finding's line, or alone on the line above it, drops that finding.
// `ignore[*]` drops findings of every check.
#pragma once

#include <vector>

#include "checks/check.h"

namespace conc::lint {

std::vector<Finding> dropSuppressed(std::vector<Finding> findings);

}  // namespace conc::lint
