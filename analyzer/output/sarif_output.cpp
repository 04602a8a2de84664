// SARIF 2.1.0, as GitHub code scanning reads it: one run, the checks as
// rules, findings as results with physical and related locations.
#include "output/report.h"

#include <map>

#include <llvm/Support/MD5.h>
#include <llvm/Support/Path.h>

#include "output/baseline.h"

namespace conc::lint {
namespace {

using llvm::json::Array;
using llvm::json::Object;

std::string sarifLevel(Severity severity) {
  return severity == Severity::Note ? "note" : std::string(severityName(severity));
}

// A relative URI for files below the working directory, file:// otherwise.
std::string artifactUri(const std::string& file) {
  std::string path = displayPath(file);
  if (llvm::sys::path::is_absolute(path)) return "file://" + path;
  return path;
}

Object physicalLocation(const Location& loc) {
  return Object{{"physicalLocation", Object{{"artifactLocation", Object{{"uri", artifactUri(loc.file)}}},
                                            {"region", Object{{"startLine", loc.line},
                                                              {"startColumn", std::max(loc.column, 1u)}}}}}};
}

// GitHub matches results across runs by partialFingerprints; the baseline
// fingerprint already ignores line moves, so its hash serves.
Object partialFingerprints(const Finding& finding) {
  llvm::MD5 hash;
  hash.update(fingerprint(finding));
  llvm::MD5::MD5Result digest;
  hash.final(digest);
  return Object{{"concLint/v1", digest.digest().str().str()}};
}

// A fix-it as SARIF `fixes`: one change per file, its replacements in order.
Array fixes(const Finding& finding) {
  if (finding.fix.empty()) return {};
  std::map<std::string, Array> byFile;
  for (const Replacement& edit : finding.fix)
    byFile[edit.begin.file].push_back(
        Object{{"deletedRegion", Object{{"startLine", edit.begin.line},
                                        {"startColumn", std::max(edit.begin.column, 1u)},
                                        {"endLine", edit.end.line},
                                        {"endColumn", std::max(edit.end.column, 1u)}}},
               {"insertedContent", Object{{"text", edit.text}}}});
  Array changes;
  for (auto& [file, replacements] : byFile)
    changes.push_back(Object{{"artifactLocation", Object{{"uri", artifactUri(file)}}},
                             {"replacements", std::move(replacements)}});
  Object fix{{"artifactChanges", std::move(changes)}};
  // The checks explain their fix in a note "fix: ...".
  for (const RelatedLocation& note : finding.related)
    if (llvm::StringRef(note.message).starts_with("fix: "))
      fix["description"] = Object{{"text", note.message.substr(5)}};
  return Array{std::move(fix)};
}

}  // namespace

llvm::json::Value sarifReport(const Report& report) {
  Array rules;
  for (const Check* check : report.checks)
    rules.push_back(
        Object{{"id", std::string(check->id())},
               {"shortDescription", Object{{"text", std::string(check->description())}}},
               {"helpUri", "file://" + docsPage(check->id())},
               {"defaultConfiguration", Object{{"level", sarifLevel(check->defaultSeverity())}}}});
  Array results;
  for (const Finding& finding : report.findings) {
    Array related;
    for (size_t i = 0; i < finding.related.size(); ++i) {
      Object location = physicalLocation(finding.related[i].loc);
      location["id"] = static_cast<int64_t>(i);
      location["message"] = Object{{"text", finding.related[i].message}};
      related.push_back(std::move(location));
    }
    Object result{{"ruleId", finding.check},
                  {"level", sarifLevel(finding.severity)},
                  {"message", Object{{"text", finding.message}}},
                  {"locations", Array{physicalLocation(finding.loc)}},
                  {"relatedLocations", std::move(related)},
                  {"partialFingerprints", partialFingerprints(finding)}};
    if (!finding.fix.empty()) result["fixes"] = fixes(finding);
    if (std::string advice = fixAdvice(finding); !advice.empty())
      result["properties"] = Object{{"fix", std::move(advice)}};
    results.push_back(std::move(result));
  }
  Object driver{{"name", "conc-lint"}, {"version", CONC_LINT_VERSION}, {"rules", std::move(rules)}};
  return Object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", Array{Object{{"tool", Object{{"driver", std::move(driver)}}},
                                      {"results", std::move(results)}}}}};
}

}  // namespace conc::lint
