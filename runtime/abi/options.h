// CONC_OPTIONS: the runtime's settings, parsed strictly from "key=value"
// pairs separated by ':' or whitespace. Pure code, unit-tested.
#pragma once

#include <string>
#include <string_view>

namespace conc::rt {

enum class ReportFormat { Text, Json };

struct Options {
  ReportFormat report_format = ReportFormat::Text;
  std::string report_path;  // empty or "stderr": standard error; "stdout"; else a file
  int exitcode = 66;        // exit status of a process that reported anything
  bool halt_on_error = false;
  std::string suppressions;     // a suppressions file, empty for none
  std::string symbolizer_path;  // conc-symbolizer to use instead of the default
};

struct ParsedOptions {
  Options options;    // the defaults when `error` is set
  std::string error;  // a complete one-line message, empty when the text was valid
};

ParsedOptions parse_options(std::string_view text);

// The list shown in error messages and by conc-run --help.
std::string_view valid_option_names();

}  // namespace conc::rt
