// The engine's ReportSink: drops duplicates (same pair of access PCs, same
// set of lock sites), symbolizes, applies suppressions, prints in text or
// JSON, counts what was printed and stops the process on halt_on_error.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "abi/options.h"
#include "abi/spin_lock.h"
#include "engine/engine.h"
#include "reports/suppressions.h"
#include "reports/symbolizer.h"
#include "reports/thread_table.h"

namespace conc::rt {

class Reporter final : public engine::ReportSink {
 public:
  struct Config {
    ReportFormat format = ReportFormat::Text;
    int fd = 2;
    bool halt_on_error = false;
    std::string internal_module;  // frames in here are not shown
    std::string docs_dir = {};    // reports link their page below it; empty: no link
    bool keep = false;            // keep printed reports and the contention table (for the HTML report)
  };
  // `halt` runs after the first printed report when halt_on_error is set; it
  // is expected not to return.
  Reporter(Config config, Suppressions suppressions, Symbolizer& symbolizer, const ThreadTable& threads,
           std::function<void()> halt);

  void on_report(const engine::Report& report) override;
  // A report after which the process cannot go on (a deadlock or a hang the
  // watchdog found): when it is printed, the process halts whatever
  // halt_on_error says. Returns when it was a duplicate or suppressed.
  void on_fatal_report(const engine::Report& report);

  size_t printed() const { return printed_.load(std::memory_order_relaxed); }
  size_t suppressed() const { return suppressed_.load(std::memory_order_relaxed); }
  // Information that is not a finding (the contention table): symbolized
  // like a report, formatted by `format`, printed unless output has stopped;
  // never deduplicated, suppressed nor counted, so the exit status ignores it.
  // The contention table: `sites` holds one event per lock with its site
  // stack; `build` turns the symbolized sites into the table.
  void print_contention(const engine::Report& sites,
                        const std::function<ContentionView(const ReportView&)>& build);
  // At exit: waits for a report being printed, drops any later one, and
  // returns how many were printed.
  size_t stop();
  // In a fork child: the parent's reports are the parent's to count.
  void reset_counts() { printed_ = suppressed_ = 0; }
  // With Config::keep, after stop(): the printed reports and the contention
  // table, if one was printed.
  const std::vector<ReportView>& kept_reports() const { return kept_; }
  const std::optional<ContentionView>& kept_contention() const { return kept_contention_; }
  // Symbolizes a stack the way reports are (libconcrt's frames left out),
  // and names the global variable at `addr` ("" when it is none); for the
  // lock graph written at exit.
  FrameList symbolize_stack(const engine::Stack& stack);
  std::string global_name(uintptr_t addr);

 private:
  Config config_;
  Suppressions suppressions_;
  Symbolizer& symbolizer_;
  const ThreadTable& threads_;
  std::function<void()> halt_;
  bool print(const engine::Report& report);  // with lock_ held; true when printed
  void print_and_halt(const engine::Report& report, bool halt);
  SpinLock lock_;  // one report at a time, so output and symbolizer I/O never interleave
  std::set<std::vector<uintptr_t>> seen_;
  bool stopped_ = false;
  std::atomic<size_t> printed_{0};
  std::atomic<size_t> suppressed_{0};
  std::vector<ReportView> kept_;
  std::optional<ContentionView> kept_contention_;
};

// The deduplication key: the report kind, then the sorted top PCs of the
// access stacks (races), of the acquisitions (cycles) or of the events.
std::vector<uintptr_t> report_key(const engine::Report& report);

}  // namespace conc::rt
