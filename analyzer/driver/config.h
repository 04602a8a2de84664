// The project configuration file, `.conc-lint.yaml`, found at the analyzed
// tree's root: the directory shared by every PATH, or its nearest ancestor
// holding the file. It switches checks on or off, excludes paths and may set
// the severity that fails the run:
//
//   checks:
//     lock-order-inversion: off   # on | off; unlisted checks keep their default
//   exclude: ["*_test.cc", "third_party/*"]
//   fail-on: error                # note | warning | error
//
// An exclude pattern without `/` matches file names, one with `/` matches the
// path relative to the root (`*` crosses `/`).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checks/check.h"

namespace conc::lint {

struct Config {
  std::string file;                    // empty when there is none
  std::string root;                    // the directory exclude patterns are relative to
  std::map<std::string, bool> checks;  // check id → on
  std::vector<std::string> exclude;
  std::optional<Severity> failOn;

  // A file under the root matched by an exclude pattern.
  bool excluded(const std::string& absolutePath) const;
};

struct ConfigResult {
  Config config;
  std::string error;  // "FILE:LINE: message" when the file is unusable
};

// Reads `.conc-lint.yaml` for the tree of `paths`, if there is one.
// `knownChecks` are the ids `checks:` may name.
ConfigResult loadConfig(const std::vector<std::string>& paths, const std::vector<std::string>& knownChecks);

// Parses configuration text; `file` names it in errors.
ConfigResult parseConfig(llvm::StringRef text, const std::string& file,
                         const std::vector<std::string>& knownChecks);

}  // namespace conc::lint
