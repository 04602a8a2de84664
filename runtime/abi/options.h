// CONC_OPTIONS: the runtime's settings, parsed strictly from "key=value"
// pairs separated by ':' or whitespace. Pure code, unit-tested.
#pragma once

#include <span>
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
  // Lock analyses (misuse, abandoned locks, thread leaks, the deadlock and
  // hang watchdog); 0 leaves data races and lock-order inversions only.
  bool lock_analyses = true;
  int deadlock_timeout_ms = 1000;  // a wait cycle lasting this long is reported
  bool deadlock_exit = true;       // exit after a deadlock or hang report (else keep waiting)
  int hang_timeout_ms = 2000;      // every thread blocked this long is reported
  int starvation_ms = 1000;        // a lock wait this long while others keep taking the lock; 0: off
  int livelock_ms = 1000;          // try-lock failures and back-offs without progress this long; 0: off
  bool contention_report = false;  // print the most contended locks at exit
  int max_threads = 10000;         // more threads alive at once is reported as a thread leak; 0: off
  std::string lock_graph;          // write the lock-order graph here at exit (DOT; SVG for *.svg)
  std::string report_html;         // write an HTML report into this directory at exit
  bool verify = false;             // the engine checks its own invariants on every event (for testing conc)
};

struct ParsedOptions {
  Options options;    // the defaults when `error` is set
  std::string error;  // a complete one-line message, empty when the text was valid
};

ParsedOptions parse_options(std::string_view text);

// One option as users see it: its CONC_OPTIONS key, the conc-run flag that
// sets it, the value it takes (a placeholder for --help; empty for a 0|1
// switch, which the flag alone turns on) and one line of help with the
// default. conc-run builds its flags and --help from this table, so every
// option has a flag.
struct OptionInfo {
  std::string_view key;
  std::string_view flag;
  std::string_view value;
  std::string_view help;
};
std::span<const OptionInfo> option_table();

// The keys of option_table(), comma-separated, for error messages.
std::string_view valid_option_names();

}  // namespace conc::rt
