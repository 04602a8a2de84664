// What a check is (an id, a default severity, a one-line description, a run
// over the whole-program model) and what it produces: findings with a primary
// location, related locations that explain it, and maybe a fix-it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyses/program_model.h"
#include "analyses/summary.h"

namespace conc::lint {

enum class Severity { Note, Warning, Error };
std::string_view severityName(Severity severity);

struct RelatedLocation {
  Location loc;
  std::string message;
};

struct Finding {
  std::string check;
  Severity severity = Severity::Warning;
  Location loc;
  std::string message;
  std::vector<RelatedLocation> related;
  std::vector<Replacement> fix = {};  // a machine-applicable fix-it, when there is a safe one
};

class Check {
 public:
  virtual ~Check() = default;
  virtual std::string_view id() const = 0;
  virtual std::string_view description() const = 0;
  virtual Severity defaultSeverity() const { return Severity::Warning; }
  virtual std::vector<Finding> run(const ProgramModel& model) const = 0;
};

// "file.cpp:12", the way messages point at other places.
std::string shortLocation(const Location& loc);

// `name` in backquotes, without the `@file` part internal ids carry.
std::string quoted(const std::string& id);

}  // namespace conc::lint
