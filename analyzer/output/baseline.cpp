// Baseline files: {"conc-lint-baseline": 1, "fingerprints": [...]}.
#include "output/baseline.h"

#include <cctype>

#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include "output/report.h"
#include "output/source_lines.h"

namespace conc::lint {
namespace {

// "abba.cpp:28" → "abba.cpp:": messages point at other lines.
std::string withoutLineNumbers(const std::string& message) {
  std::string out;
  for (size_t i = 0; i < message.size(); ++i) {
    out += message[i];
    if (message[i] == ':')
      while (i + 1 < message.size() && std::isdigit(static_cast<unsigned char>(message[i + 1]))) ++i;
  }
  return out;
}

std::string fingerprint(const Finding& finding, SourceLines& sources) {
  return finding.check + "|" + displayPath(finding.loc.file) + "|" +
         sources.line(finding.loc.file, finding.loc.line).trim().str() + "|" +
         withoutLineNumbers(finding.message);
}

}  // namespace

std::string fingerprint(const Finding& finding) {
  SourceLines sources;
  return fingerprint(finding, sources);
}

std::string writeBaseline(const std::string& file, const std::vector<Finding>& findings) {
  SourceLines sources;
  std::set<std::string> fingerprints;
  for (const Finding& finding : findings) fingerprints.insert(fingerprint(finding, sources));
  std::error_code ec;
  llvm::raw_fd_ostream out(file, ec);
  if (ec) return ec.message();
  out << llvm::formatv("{0:2}",
                       llvm::json::Value(llvm::json::Object{
                           {"conc-lint-baseline", 1}, {"fingerprints", llvm::json::Array(fingerprints)}}))
      << "\n";
  return {};
}

std::string readBaseline(const std::string& file, std::set<std::string>& fingerprints) {
  auto buffer = llvm::MemoryBuffer::getFile(file);
  if (!buffer) return buffer.getError().message();
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse((*buffer)->getBuffer());
  if (!parsed) return llvm::toString(parsed.takeError());
  const llvm::json::Object* root = parsed->getAsObject();
  const llvm::json::Array* list = root ? root->getArray("fingerprints") : nullptr;
  if (!list) return "not a conc-lint baseline (no \"fingerprints\" list)";
  for (const llvm::json::Value& entry : *list)
    if (auto text = entry.getAsString()) fingerprints.insert(text->str());
  return {};
}

std::vector<Finding> dropBaselined(std::vector<Finding> findings, const std::set<std::string>& fingerprints) {
  SourceLines sources;
  std::vector<Finding> kept;
  for (Finding& finding : findings)
    if (!fingerprints.count(fingerprint(finding, sources))) kept.push_back(std::move(finding));
  return kept;
}

}  // namespace conc::lint
