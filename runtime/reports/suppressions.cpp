// Suppression parsing and ThreadSanitizer-style pattern matching.
#include "reports/suppressions.h"

#include <algorithm>

namespace conc::rt {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// '*' matches any run of characters; everything else literally.
bool glob(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0, star = std::string_view::npos, resume = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      resume = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool frame_matches(const std::vector<std::string>& patterns, const Frame& f) {
  for (const std::string& p : patterns)
    if ((!f.function.empty() && pattern_matches(p, f.function)) ||
        (!f.file.empty() && pattern_matches(p, f.file)) ||
        (!f.module.empty() && pattern_matches(p, f.module)))
      return true;
  return false;
}

bool stack_matches(const std::vector<std::string>& patterns, const FrameList& stack) {
  for (const Frame& f : stack)
    if (frame_matches(patterns, f)) return true;
  return false;
}

constexpr std::string_view kTypes[] = {"race",        "deadlock", "abandoned-lock", "mutex-misuse",
                                       "thread-leak", "hang",     "starvation",     "livelock"};

// The suppression type of a report kind.
std::string_view type_of(engine::ReportKind kind) {
  switch (kind) {
    case engine::ReportKind::DataRace:
      return "race";
    case engine::ReportKind::LockOrderInversion:
      return "deadlock";
    default:
      return kind_name(kind);
  }
}

}  // namespace

bool pattern_matches(std::string_view pattern, std::string_view text) {
  std::string p;
  if (!pattern.empty() && pattern.front() == '^')
    pattern.remove_prefix(1);
  else
    p += '*';
  bool anchored_end = !pattern.empty() && pattern.back() == '$';
  if (anchored_end) pattern.remove_suffix(1);
  p += pattern;
  if (!anchored_end) p += '*';
  return glob(p, text);
}

Suppressions Suppressions::parse(std::string_view text, std::vector<std::string>& errors) {
  Suppressions s;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    size_t colon = line.find(':');
    std::string_view kind = colon == std::string_view::npos ? line : trim(line.substr(0, colon));
    std::string_view pattern =
        colon == std::string_view::npos ? std::string_view() : trim(line.substr(colon + 1));
    const bool known = std::find(std::begin(kTypes), std::end(kTypes), kind) != std::end(kTypes);
    if (!known || pattern.empty()) {
      errors.push_back(
          "line " + std::to_string(line_no) +
          ": expected TYPE:PATTERN (race, deadlock, abandoned-lock, mutex-misuse, thread-leak, hang, "
          "starvation, livelock), got '" +
          std::string(line) + "'");
      continue;
    }
    s.patterns_[std::string(kind)].emplace_back(pattern);
  }
  return s;
}

bool Suppressions::empty() const { return patterns_.empty(); }

bool Suppressions::suppresses(const ReportView& report) const {
  auto it = patterns_.find(type_of(report.kind));
  if (it == patterns_.end()) return false;
  const std::vector<std::string>& patterns = it->second;
  for (const AccessView& a : report.accesses)
    if (stack_matches(patterns, a.stack)) return true;
  for (const EdgeView& e : report.cycle)
    if (stack_matches(patterns, e.stack) || stack_matches(patterns, e.held_stack)) return true;
  for (const EventView& e : report.events)
    if (stack_matches(patterns, e.stack)) return true;
  return false;
}

}  // namespace conc::rt
