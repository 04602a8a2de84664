// The JSON report: {"findings": [...], "stats": {...}}.
#include "output/report.h"

namespace conc::lint {

using llvm::json::Array;
using llvm::json::Object;

static Object place(const Location& loc) {
  return Object{{"file", displayPath(loc.file)}, {"line", loc.line}, {"column", loc.column}};
}

llvm::json::Value jsonReport(const Report& report) {
  Array findings;
  for (const Finding& finding : report.findings) {
    Object entry = place(finding.loc);
    entry["check"] = finding.check;
    entry["severity"] = std::string(severityName(finding.severity));
    entry["message"] = finding.message;
    Array related;
    for (const RelatedLocation& note : finding.related) {
      Object item = place(note.loc);
      item["message"] = note.message;
      related.push_back(std::move(item));
    }
    entry["related"] = std::move(related);
    Array fix;
    for (const Replacement& edit : finding.fix) {
      Object item = place(edit.begin);
      item["end_line"] = edit.end.line;
      item["end_column"] = edit.end.column;
      item["text"] = edit.text;
      fix.push_back(std::move(item));
    }
    entry["fix"] = std::move(fix);
    entry["advice"] = fixAdvice(finding);
    entry["docs"] = docsPage(finding.check);
    findings.push_back(std::move(entry));
  }
  const RunStats& stats = report.stats;
  return Object{{"findings", std::move(findings)},
                {"stats", Object{{"files", static_cast<int64_t>(stats.files)},
                                 {"translation_units", static_cast<int64_t>(stats.translationUnits)},
                                 {"errors", static_cast<int64_t>(stats.errors)},
                                 {"findings", static_cast<int64_t>(report.findings.size())},
                                 {"seconds", stats.seconds}}}};
}

}  // namespace conc::lint
