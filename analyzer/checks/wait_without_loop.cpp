// wait-without-loop: a condition variable wait (cv.wait(lock),
// pthread_cond_wait) that is not inside a loop re-checking its predicate and
// is not the predicate overload. A spurious wakeup, or a notify meant for
// another waiter, lets it go on with the condition still false; a notify
// sent before it started waiting is lost for good.
#include <algorithm>

#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

class WaitWithoutLoopCheck : public Check {
 public:
  std::string_view id() const override { return "wait-without-loop"; }
  std::string_view description() const override {
    return "Condition variable wait not in a loop re-checking its predicate";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    const PathFacts& facts = model.paths;
    std::vector<Finding> findings;
    for (const auto& [function, event] : facts.events(PathEventKind::Wait)) {
      if (event->flag || calledOnlyInLoops(facts, *function)) continue;
      std::string condition = quoted(event->detail);
      Finding found = finding(*this, event->loc,
                              "wait on " + condition +
                                  " is not in a loop that re-checks its condition: a spurious or "
                                  "stolen wakeup returns with the condition false");
      found.related.push_back({event->loc,
                               "fix: `while (!condition) wait(...)`, or the predicate overload "
                               "`cv.wait(lock, [&] { return condition; })`"});
      findings.push_back(std::move(found));
    }
    return findings;
  }

 private:
  // A wait helper that every caller runs in a loop is re-checked there.
  static bool calledOnlyInLoops(const PathFacts& facts, const FunctionSummary& function) {
    const std::vector<CallerSite>& sites = facts.callers(function.id);
    return !sites.empty() &&
           std::all_of(sites.begin(), sites.end(), [](const CallerSite& site) { return site.call->inLoop; });
  }
};

}  // namespace

std::unique_ptr<Check> makeWaitWithoutLoopCheck() { return std::make_unique<WaitWithoutLoopCheck>(); }

}  // namespace conc::lint
