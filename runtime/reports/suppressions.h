// Suppressions files: lines "TYPE:PATTERN", '#' starts a comment. TYPE is a
// report kind (race, deadlock, abandoned-lock, mutex-misuse, thread-leak,
// hang, starvation, livelock); "deadlock" covers lock-order inversions too,
// as in ThreadSanitizer. A pattern matches a frame's function, file or module
// the way ThreadSanitizer's do: '*' is any text, '^' and '$' anchor, otherwise
// it may match anywhere.
#pragma once

#include <functional>
#include <map>
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
  bool empty() const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> patterns_;  // by type
};

bool pattern_matches(std::string_view pattern, std::string_view text);

}  // namespace conc::rt
