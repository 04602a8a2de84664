// Strict CONC_OPTIONS parsing: any unknown key or bad value rejects the whole
// string so a typo never silently half-applies.
#include "abi/options.h"

#include <charconv>
#include <vector>

namespace conc::rt {
namespace {

constexpr OptionInfo kOptions[] = {
    {"report_format", "--report-format", "text|json", "report format (default text)"},
    {"report_path", "--report-path", "FILE", "write reports to FILE, or 'stderr' (default) / 'stdout'"},
    {"exitcode", "--exitcode", "N", "exit status when anything was reported (default 66)"},
    {"halt_on_error", "--halt-on-error", "", "exit at the first report"},
    {"suppressions", "--suppressions", "FILE", "suppressions file (race:PATTERN / deadlock:PATTERN lines)"},
    {"symbolizer_path", "--symbolizer", "PATH", "conc-symbolizer to use"},
    {"lock_analyses", "--lock-analyses", "",
     "lock, wait and thread analyses (default 1; 0: data races and lock-order inversions only)"},
    {"deadlock_timeout_ms", "--deadlock-timeout-ms", "MS",
     "report a wait cycle lasting this long (default 1000)"},
    {"deadlock_exit", "--deadlock-exit", "",
     "exit after a deadlock or hang report (default 1; 0: keep waiting)"},
    {"hang_timeout_ms", "--hang-timeout-ms", "MS",
     "report every thread blocked this long as a hang (default 2000)"},
    {"starvation_ms", "--starvation-ms", "MS",
     "report a lock wait this long as starvation (default 1000; 0: off)"},
    {"livelock_ms", "--livelock-ms", "MS",
     "report try-lock failures without progress this long as livelock (default 1000; 0: off)"},
    {"contention_report", "--contention-report", "", "print the most contended locks at exit (default 0)"},
    {"max_threads", "--max-threads", "N",
     "report more threads than this alive at once as a thread leak (default 10000; 0: off)"},
    {"lock_graph", "--graph", "FILE",
     "write the lock-order graph at exit as Graphviz DOT, or SVG when FILE ends in .svg"},
    {"report_html", "--report-html", "DIR",
     "write an HTML report (findings, lock graph, contention) into DIR"},
    {"verify", "--verify", "",
     "check the detector's own invariants at every event it handles; aborts on a broken one (slow; default "
     "0)"},
};

// "report_format, report_path, ...", from the table.
std::string join_names() {
  std::string names;
  for (const OptionInfo& o : kOptions) names += (names.empty() ? "" : ", ") + std::string(o.key);
  return names;
}

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> items;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ':' || text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
      if (i > start) items.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return items;
}

std::string bad_value(std::string_view key, std::string_view value, std::string_view expected) {
  return "conc: CONC_OPTIONS: bad value '" + std::string(value) + "' for option '" + std::string(key) +
         "' (expected " + std::string(expected) + ")";
}

std::string parse_bool(std::string_view key, std::string_view value, bool& out) {
  if (value == "1" || value == "true")
    out = true;
  else if (value == "0" || value == "false")
    out = false;
  else
    return bad_value(key, value, "0 or 1");
  return "";
}

std::string parse_int(std::string_view key, std::string_view value, int min, int max,
                      std::string_view expected, int& out) {
  int n = -1;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < min || n > max)
    return bad_value(key, value, expected);
  out = n;
  return "";
}

// Applies one pair; returns an error message or "".
std::string apply(Options& o, std::string_view key, std::string_view value) {
  if (key == "report_format") {
    if (value == "text")
      o.report_format = ReportFormat::Text;
    else if (value == "json")
      o.report_format = ReportFormat::Json;
    else
      return bad_value(key, value, "text or json");
  } else if (key == "report_path") {
    if (value.empty()) return bad_value(key, value, "a file name, stderr or stdout");
    o.report_path = value;
  } else if (key == "exitcode") {
    return parse_int(key, value, 0, 255, "an integer from 0 to 255", o.exitcode);
  } else if (key == "halt_on_error") {
    return parse_bool(key, value, o.halt_on_error);
  } else if (key == "lock_analyses") {
    return parse_bool(key, value, o.lock_analyses);
  } else if (key == "deadlock_exit") {
    return parse_bool(key, value, o.deadlock_exit);
  } else if (key == "deadlock_timeout_ms" || key == "hang_timeout_ms") {
    return parse_int(key, value, 1, 3600000, "milliseconds from 1 to 3600000",
                     key == "hang_timeout_ms" ? o.hang_timeout_ms : o.deadlock_timeout_ms);
  } else if (key == "starvation_ms" || key == "livelock_ms") {
    return parse_int(key, value, 0, 3600000, "milliseconds from 0 (off) to 3600000",
                     key == "starvation_ms" ? o.starvation_ms : o.livelock_ms);
  } else if (key == "max_threads") {
    return parse_int(key, value, 0, 10000000, "a thread count from 0 (off) to 10000000", o.max_threads);
  } else if (key == "contention_report") {
    return parse_bool(key, value, o.contention_report);
  } else if (key == "verify") {
    return parse_bool(key, value, o.verify);
  } else if (key == "suppressions") {
    o.suppressions = value;
  } else if (key == "symbolizer_path") {
    o.symbolizer_path = value;
  } else if (key == "lock_graph" || key == "report_html") {
    if (value.empty()) return bad_value(key, value, key == "lock_graph" ? "a file name" : "a directory");
    (key == "lock_graph" ? o.lock_graph : o.report_html) = value;
  } else {
    return "conc: CONC_OPTIONS: unknown option '" + std::string(key) +
           "'; valid options: " + std::string(valid_option_names());
  }
  return "";
}

}  // namespace

std::span<const OptionInfo> option_table() { return kOptions; }

// A function-local static: CONC_OPTIONS is parsed from libconcrt's
// constructor, possibly before this file's namespace-scope objects exist.
std::string_view valid_option_names() {
  static const std::string names = join_names();
  return names;
}

ParsedOptions parse_options(std::string_view text) {
  ParsedOptions result;
  for (std::string_view item : split(text)) {
    size_t eq = item.find('=');
    std::string error = eq == std::string_view::npos
                            ? "conc: CONC_OPTIONS: expected key=value, got '" + std::string(item) +
                                  "'; valid options: " + std::string(valid_option_names())
                            : apply(result.options, item.substr(0, eq), item.substr(eq + 1));
    if (!error.empty()) return {Options{}, error};
  }
  return result;
}

}  // namespace conc::rt
