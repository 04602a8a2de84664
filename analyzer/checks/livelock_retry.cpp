// livelock-retry: a loop that holds one lock, try-locks another, and on
// failure releases the first and retries at once, while some thread tries
// the two in the opposite order. Two such threads can fail and retry in lock
// step for ever.
#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

class LivelockRetryCheck : public Check {
 public:
  std::string_view id() const override { return "livelock-retry"; }
  std::string_view description() const override {
    return "Try-lock retry loop without back-off against an opposite lock order";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    const PathFacts& facts = model.paths;
    std::vector<Finding> findings;
    for (const auto& [function, event] : facts.events(PathEventKind::TryRetry)) {
      if (event->flag) continue;
      for (const HeldLock& held : event->held)
        if (const Acquisition* reverse = opposite(model.program, held.lock, event->subject)) {
          Finding found =
              finding(*this, event->loc,
                      "retry loop try-locks " + lockName(event->subject) + " holding " + lockName(held.lock) +
                          " and retries without back-off, while " + shortLocation(reverse->loc) +
                          " tries them in the opposite order: livelock");
          found.related.push_back({held.acquired, lockName(held.lock) + " locked here"});
          found.related.push_back(
              {reverse->loc, lockName(held.lock) + " taken here while holding " + lockName(event->subject)});
          found.related.push_back({event->loc,
                                   "fix: take the locks in one order, or back off "
                                   "for a random time before retrying"});
          findings.push_back(std::move(found));
          break;
        }
    }
    return findings;
  }

 private:
  // Somewhere `first` is tried while `second` is held. A blocking lock there
  // would just wait for this loop to let go: only two sides that both give
  // up can keep failing together.
  static const Acquisition* opposite(const ProgramSummary& program, const std::string& first,
                                     const std::string& second) {
    for (const auto& [key, function] : program.functions)
      for (const Acquisition& acquisition : function.acquisitions)
        if (acquisition.tryLock && acquisition.lock == first && holds(acquisition.held, second))
          return &acquisition;
    return nullptr;
  }
};

}  // namespace

std::unique_ptr<Check> makeLivelockRetryCheck() { return std::make_unique<LivelockRetryCheck>(); }

}  // namespace conc::lint
