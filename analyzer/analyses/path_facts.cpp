// The call graph and event index behind the path checks.
#include "analyses/path_facts.h"

#include <algorithm>
#include <deque>

namespace conc::lint {

PathFacts::PathFacts(const ProgramSummary& program) {
  for (const auto& [key, function] : program.functions) byId_[function.id].push_back(&function);
  for (const auto& [key, function] : program.functions) {
    for (const CallSite& call : function.calls) callers_[call.callee].push_back({&function, &call});
    for (const ThreadStart& start : function.threadStarts) entries_.insert(start.entry);
    for (const PathEvent& event : function.pathEvents) {
      events_[event.kind].push_back({&function, &event});
      if (event.kind == PathEventKind::RecursiveLock) recursive_.insert(event.subject);
    }
  }
}

const std::vector<EventSite>& PathFacts::events(PathEventKind kind) const {
  static const std::vector<EventSite> none;
  auto found = events_.find(kind);
  return found == events_.end() ? none : found->second;
}

const std::vector<CallerSite>& PathFacts::callers(const std::string& function) const {
  static const std::vector<CallerSite> none;
  auto found = callers_.find(function);
  return found == callers_.end() ? none : found->second;
}

bool PathFacts::runsInThread(const std::string& function) const {
  std::set<std::string> seen{function};
  std::deque<std::string> work{function};
  while (!work.empty()) {
    std::string id = work.front();
    work.pop_front();
    if (isThreadEntry(id)) return true;
    for (const CallerSite& site : callers(id))
      if (seen.insert(site.caller->id).second) work.push_back(site.caller->id);
  }
  return false;
}

// The definition a call from `file` reaches: the one in the same file when
// several programs define the name.
const FunctionSummary* PathFacts::definition(const std::string& id, const std::string& file) const {
  auto found = byId_.find(id);
  if (found == byId_.end()) return nullptr;
  for (const FunctionSummary* function : found->second)
    if (function->loc.file == file) return function;
  return found->second.front();
}

std::map<const FunctionSummary*, std::vector<const CallSite*>> PathFacts::reachableFrom(
    const FunctionSummary& function) const {
  std::map<const FunctionSummary*, std::vector<const CallSite*>> chains{{&function, {}}};
  std::deque<const FunctionSummary*> work{&function};
  while (!work.empty()) {
    const FunctionSummary* current = work.front();
    work.pop_front();
    for (const CallSite& call : current->calls) {
      const FunctionSummary* callee = definition(call.callee, current->loc.file);
      if (!callee || chains.count(callee)) continue;
      std::vector<const CallSite*> chain = chains[current];
      chain.push_back(&call);
      chains[callee] = std::move(chain);
      work.push_back(callee);
    }
  }
  return chains;
}

bool PathFacts::callersHold(const FunctionSummary& function, const std::string& lock) const {
  const std::vector<CallerSite>& sites = callers(function.id);
  return !sites.empty() && std::all_of(sites.begin(), sites.end(), [&](const CallerSite& site) {
    return holds(site.call->held, boundLock(lock, *site.call));
  });
}

std::string boundLock(const std::string& lock, const CallSite& call) {
  if (!isParameterLock(lock)) return lock;
  unsigned index = parameterIndex(lock);
  return index < call.lockArgs.size() && !call.lockArgs[index].empty() ? call.lockArgs[index] : lock;
}

bool holds(const Lockset& locks, const std::string& lock) {
  return std::any_of(locks.begin(), locks.end(), [&](const HeldLock& held) { return held.lock == lock; });
}

}  // namespace conc::lint
