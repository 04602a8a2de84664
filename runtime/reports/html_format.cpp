// The HTML report page. Styles are inline and nothing is fetched, so the page
// reads the same offline, from a CI artifact or an e-mail attachment.
#include "reports/html_format.h"

#include <cstdio>
#include <map>

#include "reports/advice.h"
#include "reports/format.h"

namespace conc::rt {
namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

constexpr const char* kStyle = R"(<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
.meta { color: #666; margin-top: 0; }
.counts span { display: inline-block; margin: 0 0.5em 0.5em 0; padding: 0.2em 0.6em; border-radius: 1em;
  background: #fdecea; color: #a93226; font-weight: bold; }
.counts span.none { background: #e8f6ec; color: #1e7e34; }
section.finding { border: 1px solid #ddd; border-left: 6px solid #c0392b; border-radius: 4px;
  margin: 1.2em 0; padding: 0.6em 1em; }
section.finding h3 { margin: 0.2em 0; }
.fix { background: #fff8e1; border-radius: 4px; padding: 0.4em 0.6em; margin: 0.5em 0; }
.fix b { color: #8a6d00; }
pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: right; }
th { background: #f0f0f0; }
td.site { text-align: left; }
.graph svg { max-width: 100%; height: auto; }
</style>
)";

// "race.c:12 in reader", from the first user frame.
std::string where(const FrameList& stack) {
  const Frame* f = first_user_frame(stack);
  if (!f) return "";
  std::string out = f->file.empty() ? "" : f->file + ":" + std::to_string(f->line);
  if (!f->function.empty()) out += (out.empty() ? "" : " in ") + f->function;
  return out;
}

void append_finding(std::string& out, const ReportView& r, size_t index, const std::string& cycle_svg) {
  const Frame* f = summary_frame(r);
  out += "<section class=\"finding\" id=\"finding-" + std::to_string(index + 1) + "\">\n<h3>" +
         std::to_string(index + 1) + ". " + escape(kind_message(r.kind)) + "</h3>\n";
  if (f) out += "<div class=\"where\">" + escape(where(FrameList{*f})) + "</div>\n";
  out += "<div class=\"fix\"><b>Fix:</b> " + escape(fix_advice(r)) + "</div>\n";
  if (!r.docs.empty())
    out += "<div class=\"docs\">Docs: <a href=\"file://" + escape(r.docs) + "\">" + escape(r.docs) +
           "</a></div>\n";
  if (!cycle_svg.empty()) out += "<div class=\"graph\">" + cycle_svg + "</div>\n";
  // The text report holds every stack in the format people already read.
  out += "<details open><summary>Stacks</summary><pre>" + escape(format_text(r)) + "</pre></details>\n";
  out += "</section>\n";
}

void append_contention(std::string& out, const std::optional<ContentionView>& table) {
  out += "<h2>Lock contention</h2>\n";
  if (!table) {
    out +=
        "<p>Not collected: run with <code>contention_report=1</code> (conc-run --contention-report).</p>\n";
    return;
  }
  if (table->locks.empty()) {
    out += "<p>No lock was ever waited for.</p>\n";
    return;
  }
  out +=
      "<table>\n<tr><th>lock</th><th>acquisitions</th><th>contended</th><th>wait total ms</th>"
      "<th>wait max ms</th><th>hold total ms</th><th>hold max ms</th><th>site</th></tr>\n";
  for (const ContendedLock& l : table->locks) {
    char cells[256];
    std::snprintf(
        cells, sizeof cells, "<td>%llu</td><td>%llu</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td>",
        static_cast<unsigned long long>(l.acquisitions), static_cast<unsigned long long>(l.contended),
        static_cast<double>(l.total_wait_ns) / 1e6, static_cast<double>(l.max_wait_ns) / 1e6,
        static_cast<double>(l.total_hold_ns) / 1e6, static_cast<double>(l.max_hold_ns) / 1e6);
    out += "<tr><td>" + hex(l.addr) + "</td>" + cells + "<td class=\"site\">" +
           (l.created ? "created " : "first locked ") + escape(where(l.site)) + "</td></tr>\n";
  }
  out += "</table>\n";
}

}  // namespace

std::string inline_svg(const std::string& svg) {
  size_t start = svg.find("<svg");
  return start == std::string::npos ? "" : svg.substr(start);
}

std::string format_html(const HtmlReport& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>conc report: " +
      escape(report.program) + "</title>\n" + kStyle + "</head>\n<body>\n";
  out += "<h1>conc report: " + escape(report.program) + "</h1>\n<p class=\"meta\">pid " +
         std::to_string(report.pid) + ", " + std::to_string(report.reports.size()) + " finding(s)</p>\n";
  std::map<std::string, size_t> counts;
  for (const ReportView& r : report.reports) ++counts[kind_name(r.kind)];
  out += "<div class=\"counts\">";
  if (counts.empty()) out += "<span class=\"none\">no findings</span>";
  for (const auto& [kind, n] : counts) out += "<span>" + std::to_string(n) + " " + escape(kind) + "</span>";
  out += "</div>\n<h2>Findings</h2>\n";
  if (report.reports.empty()) out += "<p>Nothing was reported.</p>\n";
  for (size_t i = 0; i < report.reports.size(); ++i)
    append_finding(out, report.reports[i], i, i < report.cycle_svgs.size() ? report.cycle_svgs[i] : "");
  out += "<h2>Lock-order graph</h2>\n";
  if (!report.graph_svg.empty())
    out += "<div class=\"graph\">" + report.graph_svg + "</div>\n";
  else
    out += "<p>" + escape(report.graph_note) + "</p>\n";
  append_contention(out, report.contention);
  return out + "</body>\n</html>\n";
}

}  // namespace conc::rt
