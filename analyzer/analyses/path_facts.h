// What the path checks (lock-leak, double-lock, waits, blocking, threads,
// fork, livelock, check-then-act) share: the program's path events by kind,
// its call graph, and which functions run as threads. Built once per program
// model (see ProgramModel::paths).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyses/summary.h"

namespace conc::lint {

struct EventSite {
  const FunctionSummary* function;
  const PathEvent* event;
};

struct CallerSite {
  const FunctionSummary* caller;
  const CallSite* call;
};

class PathFacts {
 public:
  PathFacts() = default;
  explicit PathFacts(const ProgramSummary& program);

  const std::vector<EventSite>& events(PathEventKind kind) const;
  const std::vector<CallerSite>& callers(const std::string& function) const;
  // Functions some thread starts with.
  bool isThreadEntry(const std::string& function) const { return entries_.count(function) > 0; }
  // Runs in a started thread: a thread entry or called from one.
  bool runsInThread(const std::string& function) const;
  // `function` and everything it calls, directly or not, with the call chain
  // that leads there (empty for `function` itself).
  std::map<const FunctionSummary*, std::vector<const CallSite*>> reachableFrom(
      const FunctionSummary& function) const;
  // Locks of a recursive kind (by type or by mutex attributes).
  bool isRecursive(const std::string& lock) const { return recursive_.count(lock) > 0; }
  // Callers hold `lock` (mapped through lock parameters) at every call, and
  // there is at least one call.
  bool callersHold(const FunctionSummary& function, const std::string& lock) const;

  // The definition a call from `file` reaches.
  const FunctionSummary* definition(const std::string& id, const std::string& file) const;

 private:
  std::map<PathEventKind, std::vector<EventSite>> events_;
  std::map<std::string, std::vector<const FunctionSummary*>> byId_;
  std::map<std::string, std::vector<CallerSite>> callers_;
  std::set<std::string> entries_;
  std::set<std::string> recursive_;
};

// The lock a call site passes for `lock` when it is the callee's parameter.
std::string boundLock(const std::string& lock, const CallSite& call);

bool holds(const Lockset& locks, const std::string& lock);

}  // namespace conc::lint
