// Strict CONC_OPTIONS parsing: any unknown key or bad value rejects the whole
// string so a typo never silently half-applies.
#include "abi/options.h"

#include <charconv>
#include <vector>

namespace conc::rt {
namespace {

constexpr std::string_view kNames =
    "report_format, report_path, exitcode, halt_on_error, suppressions, symbolizer_path, lock_analyses, "
    "deadlock_timeout_ms, deadlock_exit, hang_timeout_ms, starvation_ms, livelock_ms, contention_report, "
    "max_threads";

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
  } else if (key == "suppressions") {
    o.suppressions = value;
  } else if (key == "symbolizer_path") {
    o.symbolizer_path = value;
  } else {
    return "conc: CONC_OPTIONS: unknown option '" + std::string(key) +
           "'; valid options: " + std::string(kNames);
  }
  return "";
}

}  // namespace

std::string_view valid_option_names() { return kNames; }

ParsedOptions parse_options(std::string_view text) {
  ParsedOptions result;
  for (std::string_view item : split(text)) {
    size_t eq = item.find('=');
    std::string error = eq == std::string_view::npos
                            ? "conc: CONC_OPTIONS: expected key=value, got '" + std::string(item) +
                                  "'; valid options: " + std::string(kNames)
                            : apply(result.options, item.substr(0, eq), item.substr(eq + 1));
    if (!error.empty()) return {Options{}, error};
  }
  return result;
}

}  // namespace conc::rt
