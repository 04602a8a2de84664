// `.conc-lint.yaml`, read with LLVM's YAML I/O. Check ids and glob patterns
// are validated while parsing so that errors point at their line.
#include "driver/config.h"

#include <algorithm>

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/GlobPattern.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/YAMLTraits.h>

namespace conc::lint {
namespace {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

constexpr const char* kConfigName = ".conc-lint.yaml";

// One `exclude:` entry, validated as a glob.
struct ExcludePattern {
  std::string text;
};

// `check-id: on|off`, keys validated against the known ids.
using CheckSwitches = std::map<std::string, bool>;

// The value of an unknown check id: parsing it is the error, so that the
// error points at its line.
struct UnknownCheck {};

// `fail-on:`; not a std::optional, which YAML I/O sets to a value for an
// empty document.
struct FailOn {
  std::optional<Severity> severity;
};

struct RawConfig {
  CheckSwitches checks;
  std::vector<ExcludePattern> exclude;
  FailOn failOn;
};

}  // namespace
}  // namespace conc::lint

LLVM_YAML_IS_FLOW_SEQUENCE_VECTOR(conc::lint::ExcludePattern)

namespace llvm::yaml {

template <>
struct ScalarTraits<conc::lint::UnknownCheck> {
  static void output(const conc::lint::UnknownCheck&, void*, raw_ostream&) {}
  static StringRef input(StringRef, void*, conc::lint::UnknownCheck&) {
    return "unknown check id (see the checks table in docs/conc-lint.md)";
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
};

// The YAML context is the list of known check ids.
template <>
struct CustomMappingTraits<conc::lint::CheckSwitches> {
  static void inputOne(IO& io, StringRef key, conc::lint::CheckSwitches& switches) {
    const auto& known = *static_cast<const std::vector<std::string>*>(io.getContext());
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      conc::lint::UnknownCheck unknown;
      io.mapRequired(key.str().c_str(), unknown);
      return;
    }
    io.mapRequired(key.str().c_str(), switches[key.str()]);
  }
  static void output(IO& io, conc::lint::CheckSwitches& switches) {
    for (auto& [id, on] : switches) io.mapRequired(id.c_str(), on);
  }
};

template <>
struct ScalarTraits<conc::lint::ExcludePattern> {
  static void output(const conc::lint::ExcludePattern& value, void*, raw_ostream& out) { out << value.text; }
  static StringRef input(StringRef scalar, void*, conc::lint::ExcludePattern& value) {
    if (auto pattern = GlobPattern::create(scalar); !pattern) {
      consumeError(pattern.takeError());
      return "not a valid glob pattern";
    }
    value.text = scalar.str();
    return {};
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::Single; }
};

template <>
struct ScalarTraits<conc::lint::FailOn> {
  static void output(const conc::lint::FailOn&, void*, raw_ostream&) {}
  static StringRef input(StringRef scalar, void*, conc::lint::FailOn& value) {
    for (auto severity :
         {conc::lint::Severity::Note, conc::lint::Severity::Warning, conc::lint::Severity::Error})
      if (scalar.str() == conc::lint::severityName(severity)) value.severity = severity;
    return value.severity ? StringRef() : "fail-on takes note, warning or error";
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
};

template <>
struct MappingTraits<conc::lint::RawConfig> {
  static void mapping(IO& io, conc::lint::RawConfig& config) {
    io.mapOptional("checks", config.checks);
    io.mapOptional("exclude", config.exclude);
    io.mapOptional("fail-on", config.failOn);
  }
};

}  // namespace llvm::yaml

namespace conc::lint {
namespace {

// The deepest directory holding every PATH.
std::string commonDirectory(const std::vector<std::string>& paths) {
  std::string common;
  for (const std::string& given : paths) {
    llvm::SmallString<256> full(given);
    fs::make_absolute(full);
    path::remove_dots(full, true);
    std::string dir = fs::is_directory(full) ? std::string(full) : std::string(path::parent_path(full));
    if (common.empty()) {
      common = dir;
      continue;
    }
    while (!common.empty() && !(dir == common || (llvm::StringRef(dir).starts_with(common) &&
                                                  path::is_separator(dir[common.size()]))))
      common = std::string(path::parent_path(common));
  }
  return common;
}

}  // namespace

bool Config::excluded(const std::string& absolutePath) const {
  llvm::StringRef relative(absolutePath);
  if (!relative.consume_front(root) || !(relative.consume_front("/") || root.empty()))
    return false;  // outside the tree
  // Compiled here: a GlobPattern points into its pattern text.
  for (const std::string& text : exclude) {
    bool byName = text.find('/') == std::string::npos;
    if (llvm::cantFail(llvm::GlobPattern::create(text)).match(byName ? path::filename(relative) : relative))
      return true;
  }
  return false;
}

ConfigResult parseConfig(llvm::StringRef text, const std::string& file,
                         const std::vector<std::string>& knownChecks) {
  ConfigResult result;
  std::string error;
  auto onError = [](const llvm::SMDiagnostic& diag, void* out) {
    auto& message = *static_cast<std::string*>(out);
    if (message.empty())  // the first error is the telling one
      message =
          diag.getFilename().str() + ":" + std::to_string(diag.getLineNo()) + ": " + diag.getMessage().str();
  };
  RawConfig raw;
  llvm::yaml::Input in(llvm::MemoryBufferRef(text, file), const_cast<std::vector<std::string>*>(&knownChecks),
                       onError, &error);
  in >> raw;
  if (in.error() || !error.empty()) {
    result.error = error.empty() ? file + ": not a valid configuration" : error;
    return result;
  }
  Config& config = result.config;
  config.file = file;
  config.root = std::string(path::parent_path(file));
  config.checks = std::move(raw.checks);
  for (const ExcludePattern& pattern : raw.exclude) config.exclude.push_back(pattern.text);
  config.failOn = raw.failOn.severity;
  return result;
}

ConfigResult loadConfig(const std::vector<std::string>& paths, const std::vector<std::string>& knownChecks) {
  for (std::string dir = commonDirectory(paths); !dir.empty(); dir = std::string(path::parent_path(dir))) {
    llvm::SmallString<256> candidate(dir);
    path::append(candidate, kConfigName);
    if (!fs::exists(candidate)) continue;
    auto buffer = llvm::MemoryBuffer::getFile(candidate);
    if (!buffer) return {{}, std::string(candidate) + ": cannot read: " + buffer.getError().message()};
    return parseConfig((*buffer)->getBuffer(), std::string(candidate), knownChecks);
  }
  return {};
}

}  // namespace conc::lint
