// wait-without-lock: a condition wait whose mutex is not held (undefined
// behaviour, and the wakeup can slip between the check and the wait), and a
// waited-for predicate changed without that mutex right before the notify
// (the waiter may check it, miss the change and the notify: lost wakeup).
#include <algorithm>
#include <map>
#include <set>

#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

class WaitWithoutLockCheck : public Check {
 public:
  std::string_view id() const override { return "wait-without-lock"; }
  std::string_view description() const override {
    return "Condition wait without its mutex held, or its predicate changed without the mutex "
           "before a notify";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    const PathFacts& facts = model.paths;
    std::vector<Finding> findings;
    // Mutexes that a lock function of the program takes for its caller
    // (`Mutex::Lock()` around `pthread_mutex_lock(&mu_)`).
    std::set<std::string> wrapped;
    for (const auto& [function, event] : facts.events(PathEventKind::LockLeak))
      if (event->flag) wrapped.insert(event->subject);
    // What each condition variable's waiters check, and under which mutex.
    std::map<std::string, std::pair<std::string, std::set<std::string>>> waited;
    for (const auto& [function, event] : facts.events(PathEventKind::Wait)) {
      // A mutex reached through a local pointer, or handed in by the caller
      // (a parameter, or a local initialized from one), is unknown to the
      // notifier.
      if (event->subject.empty() || event->subject.starts_with(function->name + "::") ||
          isParameterLock(event->subject))
        continue;
      auto& [mutex, predicate] = waited[event->detail];
      mutex = event->subject;
      predicate.insert(event->names.begin(), event->names.end());
      if (holds(event->held, event->subject) || facts.callersHold(*function, event->subject)) continue;
      if (wrapped.count(event->subject) && !facts.callers(function->id).empty()) {
        unlockedCallers(facts, *function, *event, findings);
        continue;
      }
      Finding found = finding(
          *this, event->loc,
          "wait on " + quoted(event->detail) + " without holding its mutex " + lockName(event->subject));
      found.related.push_back({event->loc, "fix: lock " + lockName(event->subject) +
                                               " before checking the condition and waiting"});
      findings.push_back(std::move(found));
    }
    for (const auto& [function, event] : facts.events(PathEventKind::Notify)) {
      auto wait = waited.find(event->subject);
      if (wait == waited.end()) continue;
      const auto& [mutex, predicate] = wait->second;
      for (const Access& access : function->accesses) {
        if (!access.write || !predicate.count(access.var) || holds(access.held, mutex) ||
            access.loc.file != event->loc.file || !(access.loc < event->loc) ||
            (function->isMain && !access.whileThreadsRun))
          continue;
        Finding found =
            finding(*this, access.loc,
                    quoted(access.var) + " is changed without holding " + lockName(mutex) + " before " +
                        quoted(event->subject) + " is notified at " + shortLocation(event->loc) +
                        ": a waiter can miss the change and the wakeup (lost wakeup)");
        found.related.push_back({event->loc, "notified here"});
        found.related.push_back(
            {access.loc, "fix: change " + quoted(access.var) + " while holding " + lockName(mutex)});
        findings.push_back(std::move(found));
      }
    }
    return findings;
  }

 private:
  // A wait wrapper (`CondVar::Wait()` on its member condition, whose mutex
  // its callers take through the mutex's own lock function, named the
  // caller's way): judged where it is called, which must hold a lock.
  void unlockedCallers(const PathFacts& facts, const FunctionSummary& wrapper, const PathEvent& wait,
                       std::vector<Finding>& findings) const {
    for (const CallerSite& site : facts.callers(wrapper.id)) {
      std::set<const FunctionSummary*> seen;
      if (holdsSomeLock(facts, site, seen)) continue;
      Finding found = finding(*this, site.call->loc,
                              quoted(wrapper.name) + " waits on " + quoted(wait.detail) +
                                  " and needs its mutex held, but is called without holding any lock");
      found.related.push_back({wait.loc, "waits here, releasing " + lockName(wait.subject)});
      found.related.push_back({site.call->loc, "fix: lock " + lockName(wait.subject) + " before calling " +
                                                   quoted(wrapper.name)});
      findings.push_back(std::move(found));
    }
  }

  // A lock is held at the call, or the caller is itself always called
  // holding one (a helper such as LevelDB's MakeRoomForWrite, which runs
  // under its caller's `mutex_`).
  static bool holdsSomeLock(const PathFacts& facts, const CallerSite& site,
                            std::set<const FunctionSummary*>& seen) {
    if (!site.call->held.empty()) return true;
    const std::vector<CallerSite>& outer = facts.callers(site.caller->id);
    return seen.insert(site.caller).second && !outer.empty() &&
           std::all_of(outer.begin(), outer.end(),
                       [&](const CallerSite& callerSite) { return holdsSomeLock(facts, callerSite, seen); });
  }
};

}  // namespace

std::unique_ptr<Check> makeWaitWithoutLockCheck() { return std::make_unique<WaitWithoutLockCheck>(); }

}  // namespace conc::lint
