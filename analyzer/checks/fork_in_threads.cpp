// fork-in-threads: fork() in a program that has started threads, with the
// child calling something that is not async-signal-safe (malloc, new,
// stdio, locks) before exec or _exit. Only the forking thread exists in the
// child; a lock another thread held at the fork (the allocator's, stdio's,
// the program's) stays locked there forever.
#include <set>

#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

class ForkInThreadsCheck : public Check {
 public:
  std::string_view id() const override { return "fork-in-threads"; }
  std::string_view description() const override {
    return "Child of fork() in a threaded program calls functions that are not "
           "async-signal-safe before exec";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    const PathFacts& facts = model.paths;
    std::set<Location> threadedForks;
    for (const auto& [function, event] : facts.events(PathEventKind::Fork))
      if (event->flag || facts.runsInThread(function->id) || calledWhileThreadsRun(facts, *function))
        threadedForks.insert(event->loc);
    std::vector<Finding> findings;
    std::set<Location> reported;  // the first unsafe call after each fork
    for (const auto& [function, event] : facts.events(PathEventKind::ForkChildUnsafe)) {
      if (!threadedForks.count(event->origin) ||
          (!event->subject.empty() && !locks(facts, *function, *event)) ||
          !reported.insert(event->origin).second)
        continue;
      std::string what = "`" + event->detail + "`" + (event->subject.empty() ? "" : ", which locks,");
      Finding found = finding(*this, event->origin,
                              "fork() after threads started, and the child calls " + what + " at " +
                                  shortLocation(event->loc) +
                                  " before exec: a lock another thread held at the fork stays "
                                  "locked in the child");
      found.related.push_back({event->loc, what + " called in the child here"});
      found.related.push_back({event->loc,
                               "fix: call only async-signal-safe functions "
                               "between fork() and exec/_exit, or fork before "
                               "starting threads"});
      findings.push_back(std::move(found));
    }
    return findings;
  }

 private:
  // A function called in the child takes a lock, itself or through calls.
  static bool locks(const PathFacts& facts, const FunctionSummary& caller, const PathEvent& call) {
    const FunctionSummary* callee = facts.definition(call.subject, caller.loc.file);
    if (!callee) return false;
    for (const auto& [function, chain] : facts.reachableFrom(*callee))
      if (!function->acquisitions.empty()) return true;
    return false;
  }

  static bool calledWhileThreadsRun(const PathFacts& facts, const FunctionSummary& function) {
    for (const CallerSite& site : facts.callers(function.id))
      if (site.call->whileThreadsRun) return true;
    return false;
  }
};

}  // namespace

std::unique_ptr<Check> makeForkInThreadsCheck() { return std::make_unique<ForkInThreadsCheck>(); }

}  // namespace conc::lint
