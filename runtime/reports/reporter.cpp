// Report handling from the engine's callback to the bytes on the output.
#include "reports/reporter.h"

#include <unistd.h>

#include <algorithm>
#include <mutex>

#include "reports/advice.h"
#include "reports/format.h"
#include "reports/output.h"
#include "reports/symbolize_report.h"

namespace conc::rt {

std::vector<uintptr_t> report_key(const engine::Report& report) {
  std::vector<uintptr_t> key;
  key.reserve(report.accesses.size());
  for (const engine::ReportedAccess& a : report.accesses)
    key.push_back(a.stack.empty() ? 0 : a.stack.front());
  for (const engine::LockEdge& e : report.cycle)
    key.push_back(e.to_acquired_at.empty() ? 0 : e.to_acquired_at.front());
  for (const engine::ReportedEvent& e : report.events) key.push_back(e.stack.empty() ? 0 : e.stack.front());
  std::sort(key.begin(), key.end());
  key.insert(key.begin(), static_cast<uintptr_t>(report.kind));
  return key;
}

Reporter::Reporter(Config config, Suppressions suppressions, Symbolizer& symbolizer,
                   const ThreadTable& threads, std::function<void()> halt)
    : config_(std::move(config)),
      suppressions_(std::move(suppressions)),
      symbolizer_(symbolizer),
      threads_(threads),
      halt_(std::move(halt)) {}

bool Reporter::print(const engine::Report& report) {
  if (stopped_ || !seen_.insert(report_key(report)).second) return false;
  ReportView view = symbolize_report(report, symbolizer_, threads_, config_.internal_module, getpid());
  if (suppressions_.suppresses(view)) {
    ++suppressed_;
    return false;
  }
  if (!config_.docs_dir.empty()) view.docs = docs_page(config_.docs_dir, view.kind);
  write_all(config_.fd, config_.format == ReportFormat::Json ? format_json(view) : format_text(view));
  ++printed_;
  if (config_.keep) kept_.push_back(std::move(view));
  return true;
}

void Reporter::on_report(const engine::Report& report) { print_and_halt(report, config_.halt_on_error); }

void Reporter::on_fatal_report(const engine::Report& report) { print_and_halt(report, true); }

void Reporter::print_and_halt(const engine::Report& report, bool halt) {
  {
    std::lock_guard guard(lock_);
    if (!print(report) || !halt || !halt_) return;
    // Nothing is printed after this report; the lock is let go so that the
    // halt can still symbolize (the lock graph written at exit).
    stopped_ = true;
  }
  halt_();
}

void Reporter::print_contention(const engine::Report& sites,
                                const std::function<ContentionView(const ReportView&)>& build) {
  std::lock_guard guard(lock_);
  if (stopped_) return;
  ContentionView table =
      build(symbolize_report(sites, symbolizer_, threads_, config_.internal_module, getpid()));
  write_all(config_.fd, config_.format == ReportFormat::Json ? format_contention_json(table)
                                                             : format_contention_text(table));
  if (config_.keep) kept_contention_ = std::move(table);
}

FrameList Reporter::symbolize_stack(const engine::Stack& stack) {
  std::lock_guard guard(lock_);
  engine::Report sites;
  sites.events.push_back({0, "", 0, stack});
  return symbolize_report(sites, symbolizer_, threads_, config_.internal_module, getpid()).events[0].stack;
}

std::string Reporter::global_name(uintptr_t addr) {
  std::lock_guard guard(lock_);
  std::optional<LocationView> global = locate_global(symbolizer_, addr);
  return global && global->addr == addr ? global->name : "";
}

size_t Reporter::stop() {
  std::lock_guard guard(lock_);
  stopped_ = true;
  return printed_;
}

}  // namespace conc::rt
