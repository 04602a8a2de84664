// The HTML report (report_html=DIR, conc-run --report-html): one offline,
// self-contained page with a run's findings (each with its fix, docs link and
// stacks; a lock-order inversion or a deadlock with a picture of its cycle),
// the whole lock-order graph and the contention table. A pure function of
// what the run gathered, so tests build its input by hand.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/report_model.h"

namespace conc::rt {

struct HtmlReport {
  std::string program;  // the command that ran
  int pid = 0;
  std::vector<ReportView> reports;
  std::vector<std::string> cycle_svgs;       // per report: its cycle as inline SVG, or ""
  std::string graph_svg;                     // the lock-order graph as inline SVG, or ""
  std::string graph_note;                    // shown instead when there is no SVG (why, where the DOT is)
  std::optional<ContentionView> contention;  // absent: not collected (contention_report=0)
};

std::string format_html(const HtmlReport& report);

// `svg` without the XML prolog dot writes, ready to sit inside HTML.
std::string inline_svg(const std::string& svg);

}  // namespace conc::rt
