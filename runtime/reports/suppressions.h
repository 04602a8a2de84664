// Suppressions files: lines "race:PATTERN" or "deadlock:PATTERN", '#' starts a
// comment. A pattern matches a frame's function, file or module the way
// ThreadSanitizer's do: '*' is any text, '^' and '$' anchor, otherwise it may
// match anywhere.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/report_model.h"

namespace conc::rt {

class Suppressions {
 public:
  // Parses a whole file's text. Malformed lines are skipped and described in
  // `errors` (one message per line, with its number).
  static Suppressions parse(std::string_view text, std::vector<std::string>& errors);

  // True if any frame of the report matches a pattern of the report's kind.
  bool suppresses(const ReportView& report) const;
  bool empty() const { return races_.empty() && deadlocks_.empty(); }

 private:
  std::vector<std::string> races_;
  std::vector<std::string> deadlocks_;
};

bool pattern_matches(std::string_view pattern, std::string_view text);

}  // namespace conc::rt
