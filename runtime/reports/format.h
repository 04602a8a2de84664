// The two report formats. Each returns the complete text of one report:
// text is ThreadSanitizer-like and spans many lines; JSON is one object on one
// line ending in '\n' (JSON Lines). Both are written with a single write(2).
#pragma once

#include <string>

#include "reports/report_model.h"

namespace conc::rt {

std::string format_text(const ReportView& report);
std::string format_json(const ReportView& report);
// The contention_report table at exit, in the same two formats (JSON: one
// object of kind "contention").
std::string format_contention_text(const ContentionView& table);
std::string format_contention_json(const ContentionView& table);

// "0x1a2b" — used by both formats.
std::string hex(uintptr_t value);

}  // namespace conc::rt
