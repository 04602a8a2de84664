// Report handling from the engine's callback to the bytes on the output.
#include "reports/reporter.h"

#include <unistd.h>

#include <algorithm>
#include <mutex>

#include "reports/format.h"
#include "reports/output.h"
#include "reports/symbolize_report.h"

namespace conc::rt {

std::vector<uintptr_t> report_key(const engine::Report& report) {
  std::vector<uintptr_t> key;
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
  write_all(config_.fd, config_.format == ReportFormat::Json ? format_json(view) : format_text(view));
  ++printed_;
  return true;
}

void Reporter::on_report(const engine::Report& report) {
  std::lock_guard guard(lock_);
  if (print(report) && config_.halt_on_error && halt_) halt_();
}

void Reporter::on_fatal_report(const engine::Report& report) {
  std::lock_guard guard(lock_);
  if (print(report) && halt_) halt_();
}

void Reporter::print_information(const engine::Report& report,
                                 const std::function<std::string(const ReportView&, ReportFormat)>& format) {
  std::lock_guard guard(lock_);
  if (stopped_) return;
  write_all(config_.fd,
            format(symbolize_report(report, symbolizer_, threads_, config_.internal_module, getpid()),
                   config_.format));
}

size_t Reporter::stop() {
  std::lock_guard guard(lock_);
  stopped_ = true;
  return printed_;
}

}  // namespace conc::rt
