// check-then-act: a shared variable read under a lock into a local, the lock
// released and taken again, and the variable written from that stale local.
// Each access is guarded, so there is no data race, but another thread can
// change the variable between the two critical sections and its update is
// lost (the bank-balance bug). Reported only for this exact shape.
#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

class CheckThenActCheck : public Check {
 public:
  std::string_view id() const override { return "check-then-act"; }
  std::string_view description() const override {
    return "Shared variable written from a value read in an earlier critical section";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    const PathFacts& facts = model.paths;
    std::vector<Finding> findings;
    for (const auto& [function, event] : facts.events(PathEventKind::StaleWrite)) {
      Finding found = finding(*this, event->loc,
                              quoted(event->subject) + " is written from its value read at " +
                                  shortLocation(event->origin) + " before " + lockName(event->detail) +
                                  " was released and re-taken: updates made in between are lost");
      found.related.push_back({event->origin, quoted(event->subject) + " read here"});
      found.related.push_back({event->loc, "fix: read and write in one critical section"});
      findings.push_back(std::move(found));
    }
    return findings;
  }
};

}  // namespace

std::unique_ptr<Check> makeCheckThenActCheck() { return std::make_unique<CheckThenActCheck>(); }

}  // namespace conc::lint
