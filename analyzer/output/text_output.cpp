// Clang-style text: `file:line:col: warning: message [check]`, the source line
// with a caret under the column, a `note:` line per related location (one of
// them `fix: ...`), a `note: docs: PAGE` line, and the fix-it in clang's
// parseable form (`fix-it:"file":{l:c-l:c}:"text"`).
#include "output/report.h"
#include "output/source_lines.h"

namespace conc::lint {
namespace {

llvm::raw_ostream::Colors colorOf(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return llvm::raw_ostream::RED;
    case Severity::Warning:
      return llvm::raw_ostream::MAGENTA;
    case Severity::Note:
      return llvm::raw_ostream::BLACK;
  }
  return llvm::raw_ostream::MAGENTA;
}

void writeHeading(llvm::raw_ostream& out, const Location& loc, std::string_view label,
                  llvm::raw_ostream::Colors color) {
  out.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
  out << displayPath(loc.file) << ":" << loc.line << ":" << loc.column << ": ";
  out.changeColor(color, true);
  out << label << ": ";
  out.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
}

void writeCaret(llvm::raw_ostream& out, llvm::StringRef line, unsigned column) {
  out << line << "\n";
  std::string pad;
  for (unsigned i = 0; i + 1 < column && i < line.size(); ++i) pad += line[i] == '\t' ? '\t' : ' ';
  out << pad;
  out.changeColor(llvm::raw_ostream::GREEN, true);
  out << "^";
  out.resetColor();
  out << "\n";
}

}  // namespace

void writeText(const Report& report, llvm::raw_ostream& out, bool color) {
  out.enable_colors(color);
  SourceLines sources;
  for (const Finding& finding : report.findings) {
    writeHeading(out, finding.loc, severityName(finding.severity), colorOf(finding.severity));
    out << finding.message << " [" << finding.check << "]";
    out.resetColor();
    out << "\n";
    if (llvm::StringRef line = sources.line(finding.loc.file, finding.loc.line); !line.empty())
      writeCaret(out, line, finding.loc.column);
    for (const RelatedLocation& related : finding.related) {
      writeHeading(out, related.loc, "note", colorOf(Severity::Note));
      out.resetColor();
      out << related.message << "\n";
    }
    writeHeading(out, finding.loc, "note", colorOf(Severity::Note));
    out.resetColor();
    out << "docs: " << docsPage(finding.check) << "\n";
    for (const Replacement& edit : finding.fix) {
      out << "fix-it:\"";
      out.write_escaped(displayPath(edit.begin.file));
      out << "\":{" << edit.begin.line << ":" << edit.begin.column << "-" << edit.end.line << ":"
          << edit.end.column << "}:\"";
      out.write_escaped(edit.text);
      out << "\"\n";
    }
  }
  out.enable_colors(false);
}

}  // namespace conc::lint
