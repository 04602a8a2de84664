// double-lock: a non-recursive mutex locked again while this thread already
// holds it, in the same function or through a call (self-deadlock), and a
// mutex unlocked when it is not held.
#include <algorithm>
#include <optional>
#include <set>

#include "analyses/shared_data.h"
#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

class DoubleLockCheck : public Check {
 public:
  std::string_view id() const override { return "double-lock"; }
  std::string_view description() const override {
    return "Non-recursive mutex locked while already held, or unlocked while not held";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    const PathFacts& facts = model.paths;
    std::vector<Finding> findings;
    for (const auto& [function, event] : facts.events(PathEventKind::DoubleLock)) {
      if (facts.isRecursive(event->subject)) continue;
      Finding found = finding(*this, event->loc,
                              lockName(event->subject) + " is locked again while already held" +
                                  (event->flag ? "" : " on some path") + " (locked at " +
                                  shortLocation(event->origin) + "): self-deadlock");
      found.related.push_back({event->origin, lockName(event->subject) + " first locked here"});
      found.related.push_back({event->loc, "fix: do not lock " + lockName(event->subject) +
                                               " again while holding it: unlock it first, or use a recursive "
                                               "mutex"});
      findings.push_back(std::move(found));
    }
    std::set<Location> relocked;  // one finding per inner acquisition
    for (const auto& [name, function] : model.program.functions)
      for (const CallSite& call : function.calls)
        if (auto found = relockThroughCall(facts, function, call);
            found && relocked.insert(found->loc).second)
          findings.push_back(std::move(*found));
    for (const auto& [function, event] : facts.events(PathEventKind::UnlockNotHeld))
      if (auto found = unlockNotHeld(facts, *function, *event)) findings.push_back(std::move(*found));
    return findings;
  }

 private:
  // A callee (or its callees) locking what the call site holds on every path.
  std::optional<Finding> relockThroughCall(const PathFacts& facts, const FunctionSummary& caller,
                                           const CallSite& call) const {
    if (call.held.empty()) return std::nullopt;
    const FunctionSummary* target = facts.definition(call.callee, caller.loc.file);
    if (!target) return std::nullopt;
    for (const auto& [callee, chain] : facts.reachableFrom(*target)) {
      for (const Acquisition& acquisition : callee->acquisitions) {
        std::string lock = chain.empty() ? boundLock(acquisition.lock, call) : acquisition.lock;
        auto held = std::find_if(call.held.begin(), call.held.end(),
                                 [&](const HeldLock& h) { return h.lock == lock; });
        if (acquisition.tryLock || held == call.held.end() || facts.isRecursive(lock) ||
            !sameObjectAlong(lock, call, chain) ||
            (held->mode == LockMode::Shared && acquisition.mode == LockMode::Shared) ||
            releasedOnTheWay(acquisition, chain))
          continue;
        Finding found =
            finding(*this, acquisition.loc,
                    lockName(lock) + " is locked again: " + quoted(caller.name) + " holds it when calling " +
                        quoted(call.calleeName) + " at " + shortLocation(call.loc) + " (self-deadlock)");
        found.related.push_back({held->acquired, lockName(lock) + " locked here"});
        found.related.push_back({call.loc, "calls " + quoted(call.calleeName)});
        for (const CallSite* step : chain)
          found.related.push_back({step->loc, "calls " + quoted(step->calleeName)});
        found.related.push_back({call.loc, "fix: unlock " + lockName(lock) + " before calling " +
                                               quoted(call.calleeName) +
                                               ", or give it a variant that expects the lock held"});
        return found;
      }
    }
    return std::nullopt;
  }

  // Lock ids name locks by declaration: a global is one object, but a field
  // is one object only while every call on the way runs on the same `this`.
  static bool sameObjectAlong(const std::string& lock, const CallSite& call,
                              const std::vector<const CallSite*>& chain) {
    if (lock.find("[]") != std::string::npos) return false;
    if (displayName(lock).find("::") == std::string::npos) return true;
    return call.object == CallObject::This &&
           std::all_of(chain.begin(), chain.end(),
                       [](const CallSite* step) { return step->object == CallObject::This; });
  }

  // The caller's lock dropped (on some path) before the acquisition: by the
  // function that takes it again (`mu.unlock(); sleep(); mu.lock();`), or by
  // one on the way there, which calls on with it released.
  static bool releasedOnTheWay(const Acquisition& acquisition, const std::vector<const CallSite*>& chain) {
    auto released = [](const ReleasedSet& set, const std::string& lock) {
      return std::find(set.begin(), set.end(), lock) != set.end();
    };
    return released(acquisition.released, acquisition.lock) ||
           std::any_of(chain.begin(), chain.end(),
                       [&](const CallSite* step) { return released(step->released, acquisition.lock); });
  }

  // A function called from `function`, directly or not, returns holding
  // `lock` on every path.
  static bool callsWrapperOf(const PathFacts& facts, const FunctionSummary& function,
                             const std::string& lock) {
    for (const auto& [callee, chain] : facts.reachableFrom(function))
      for (const PathEvent& event : callee->pathEvents)
        if (!chain.empty() && event.kind == PathEventKind::LockLeak && event.flag &&
            (chain.size() == 1 ? boundLock(event.subject, *chain.front()) : event.subject) == lock)
          return true;
    return false;
  }

  // Unlocking twice, or in a thread (or main) that never took the lock: a
  // function that no one calls cannot have been handed it locked. The walk
  // counts the locks of a recursive mutex only when its type says so; one
  // made recursive by attributes elsewhere, and locked here, may be held
  // more times than it knows. A function it calls that returns holding the
  // lock (a wrapper) may have taken it for this unlock.
  std::optional<Finding> unlockNotHeld(const PathFacts& facts, const FunctionSummary& function,
                                       const PathEvent& event) const {
    bool locksItself = std::any_of(function.acquisitions.begin(), function.acquisitions.end(),
                                   [&](const Acquisition& a) { return a.lock == event.subject; });
    if (isParameterLock(event.subject) || (facts.isRecursive(event.subject) && locksItself) ||
        callsWrapperOf(facts, function, event.subject))
      return std::nullopt;
    bool root = function.isMain || (facts.isThreadEntry(function.id) && facts.callers(function.id).empty());
    if (!event.flag && !root) return std::nullopt;
    std::string lock = lockName(event.subject);
    Finding found =
        finding(*this, event.loc,
                event.flag ? lock + " is unlocked again: it was released at " + shortLocation(event.origin) +
                                 " on every path"
                           : lock + " is unlocked but " + quoted(function.name) + " does not hold it");
    if (event.flag) found.related.push_back({event.origin, lock + " released here"});
    found.related.push_back(
        {event.loc,
         "fix: unlock " + lock + " once, where it was locked: std::lock_guard pairs them for you"});
    return found;
  }
};

}  // namespace

std::unique_ptr<Check> makeDoubleLockCheck() { return std::make_unique<DoubleLockCheck>(); }

}  // namespace conc::lint
