// blocking-under-lock: a call that can wait for a long time (sleep, blocking
// I/O, a join, future::get, a wait on another condition or semaphore) made
// while holding a lock, directly or in a function called under the lock.
// Every thread that needs the lock waits as long.
#include <algorithm>
#include <iterator>
#include <optional>

#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

std::string lockNames(const Lockset& locks) {
  std::string names;
  for (const HeldLock& lock : locks) names += (names.empty() ? "" : ", ") + lockName(lock.lock);
  return names;
}

class BlockingUnderLockCheck : public Check {
 public:
  std::string_view id() const override { return "blocking-under-lock"; }
  std::string_view description() const override {
    return "Sleep, blocking I/O, join or wait while holding a lock";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    const PathFacts& facts = model.paths;
    std::vector<Finding> findings;
    for (const auto& [function, event] : facts.events(PathEventKind::Blocking))
      if (!event->held.empty()) findings.push_back(direct(*event, "`" + event->detail + "`", event->held));
    for (const auto& [function, event] : facts.events(PathEventKind::Wait)) {
      if (event->subject.empty()) continue;  // its mutex is unknown, so is what it releases
      Lockset others;
      for (const HeldLock& lock : event->held)
        if (lock.lock != event->subject) others.push_back(lock);
      if (!others.empty()) findings.push_back(direct(*event, "the wait on " + quoted(event->detail), others));
    }
    for (const auto& [name, function] : model.program.functions)
      for (const CallSite& call : function.calls)
        if (!call.held.empty())
          if (auto found = throughCall(facts, function, call)) findings.push_back(std::move(*found));
    return findings;
  }

 private:
  Finding direct(const PathEvent& event, const std::string& what, const Lockset& held) const {
    Finding found =
        finding(*this, event.loc,
                what + " blocks while holding " + lockNames(held) + ": threads that need it wait as long");
    for (const HeldLock& lock : held)
      found.related.push_back({lock.acquired, lockName(lock.lock) + " locked here"});
    found.related.push_back({event.loc, "fix: release " + lockNames(held) + " before " + what +
                                            " (copy what you need under the lock, then block)"});
    return found;
  }

  std::optional<Finding> throughCall(const PathFacts& facts, const FunctionSummary& caller,
                                     const CallSite& call) const {
    const FunctionSummary* callee = facts.definition(call.callee, caller.loc.file);
    if (!callee) return std::nullopt;
    for (const auto& [function, chain] : facts.reachableFrom(*callee))
      for (const PathEvent& event : function->pathEvents) {
        if (event.kind != PathEventKind::Blocking) continue;
        Lockset held = stillHeld(call.held, event, chain);
        if (held.empty()) continue;
        Finding found = finding(*this, call.loc,
                                quoted(call.calleeName) + " blocks in `" + event.detail + "` at " +
                                    shortLocation(event.loc) + " and is called holding " + lockNames(held));
        for (const HeldLock& lock : held)
          found.related.push_back({lock.acquired, lockName(lock.lock) + " locked here"});
        for (const CallSite* step : chain)
          found.related.push_back({step->loc, "calls " + quoted(step->calleeName)});
        found.related.push_back({event.loc, "`" + event.detail + "` blocks here"});
        found.related.push_back({call.loc, "fix: release " + lockNames(held) + " before calling " +
                                               quoted(call.calleeName) +
                                               " (copy what you need under the lock, then block)"});
        return found;
      }
    return std::nullopt;
  }

  // The caller's locks the callees have not dropped before blocking
  // (`mu.unlock(); sleep(1); mu.lock();` in a function called with `mu`).
  static Lockset stillHeld(const Lockset& held, const PathEvent& blocking,
                           const std::vector<const CallSite*>& chain) {
    auto released = [](const std::vector<std::string>& set, const std::string& lock) {
      return std::find(set.begin(), set.end(), lock) != set.end();
    };
    Lockset still;
    std::copy_if(held.begin(), held.end(), std::back_inserter(still), [&](const HeldLock& lock) {
      return !released(blocking.names, lock.lock) &&
             std::none_of(chain.begin(), chain.end(),
                          [&](const CallSite* step) { return released(step->released, lock.lock); });
    });
    return still;
  }
};

}  // namespace

std::unique_ptr<Check> makeBlockingUnderLockCheck() { return std::make_unique<BlockingUnderLockCheck>(); }

}  // namespace conc::lint
