// unguarded-access: a shared variable that concurrent threads access, at least
// one of them writing, without holding a common lock (or memory shared by a
// parent and its forked child, the two processes accessing it so).
#include <algorithm>
#include <map>
#include <tuple>

#include "checks/registry.h"

namespace conc::lint {
namespace {

bool shareAny(const SyncSet& a, const SyncSet& b) {
  return std::find_first_of(a.begin(), a.end(), b.begin(), b.end()) != a.end();
}

// One access is released by an object the other acquired first (a release
// store and an acquire load, a semaphore post and wait, ...).
bool ordered(const ContextAccess& a, const ContextAccess& b) {
  return shareAny(a.syncAfter, b.syncBefore) || shareAny(b.syncAfter, a.syncBefore);
}

bool guardedTogether(const ContextAccess& a, const ContextAccess& b) {
  for (const HeldLock& x : a.locks)
    for (const HeldLock& y : b.locks)
      if (x.lock == y.lock && (x.mode == LockMode::Exclusive || y.mode == LockMode::Exclusive)) return true;
  return false;
}

bool holds(const ContextAccess& access, const std::string& lock) {
  return std::any_of(access.locks.begin(), access.locks.end(),
                     [&](const HeldLock& held) { return held.lock == lock; });
}

std::string lockNames(const Lockset& locks) {
  std::string names;
  for (const HeldLock& lock : locks) names += (names.empty() ? "" : ", ") + quoted(lock.lock);
  return names;
}

class UnguardedAccessCheck : public Check {
 public:
  std::string_view id() const override { return "unguarded-access"; }
  std::string_view description() const override {
    return "Shared variable accessed by concurrent threads, at least one writing, "
           "without a common lock";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    std::map<std::string, std::vector<const ContextAccess*>> byVariable;
    for (const ContextAccess& access : model.accesses) byVariable[access.var].push_back(&access);
    // One finding per variable and line, with the most telling counterpart.
    std::map<std::tuple<std::string, std::string, unsigned>, Race> races;
    for (const auto& [var, accesses] : byVariable)
      for (size_t i = 0; i < accesses.size(); ++i)
        for (size_t j = i; j < accesses.size(); ++j)
          if (conflict(model, *accesses[i], *accesses[j])) {
            consider(races, *accesses[i], *accesses[j]);
            consider(races, *accesses[j], *accesses[i]);
          }
    std::vector<Finding> findings;
    findings.reserve(races.size());
    for (const auto& [key, race] : races) findings.push_back(describe(model, race));
    return findings;
  }

 private:
  // `access` is reported; `other` is what it races with.
  struct Race {
    const ContextAccess* access;
    const ContextAccess* other;
  };

  // A write made holding its locks in shared mode only (a read lock): the
  // code counts on the lock, not on the threads' slots being apart.
  static bool writesUnderReadLock(const ContextAccess& access) {
    return access.write && !access.locks.empty() &&
           std::all_of(access.locks.begin(), access.locks.end(),
                       [](const HeldLock& lock) { return lock.mode == LockMode::Shared; });
  }

  static bool conflict(const ProgramModel& model, const ContextAccess& a, const ContextAccess& b) {
    bool apart = a.partitioned && b.partitioned && !writesUnderReadLock(a) && !writesUnderReadLock(b);
    return (a.write || b.write) && model.concurrent(a, b) && !apart && !guardedTogether(a, b) &&
           !ordered(a, b);
  }

  // The unguarded side of a race is reported; when both sides hold (different)
  // locks, both are, except a side holding the lock GUARDED_BY names.
  static void consider(std::map<std::tuple<std::string, std::string, unsigned>, Race>& races,
                       const ContextAccess& access, const ContextAccess& other) {
    if ((!access.locks.empty() && other.locks.empty()) ||
        (!access.guardedBy.empty() && holds(access, access.guardedBy)))
      return;
    auto key = std::make_tuple(access.var, access.loc.file, access.loc.line);
    auto [slot, inserted] = races.try_emplace(key, Race{&access, &other});
    if (inserted) return;
    Race& best = slot->second;
    auto rank = [](const Race& race) {
      return std::make_tuple(race.other->locks.empty(), !race.access->write, race.access->loc,
                             race.other->loc);
    };
    if (rank(Race{&access, &other}) < rank(best)) best = Race{&access, &other};
  }

  // `sameContext`: the other access is of the same context (another
  // instance of it).
  static std::string threadsOf(const ThreadContext& context, bool sameContext) {
    if (context.kind == ThreadContext::Kind::Spawner) return quoted(context.name) + " while its threads run";
    if (context.process())
      return std::string(sameContext ? "forked child processes" : "the parent and a forked child process") +
             " (fork() at " + shortLocation(context.startSites.front()) + ")";
    return "threads started at " + shortLocation(context.startSites.front());
  }

  // The fix names the lock the other accesses use when there is one.
  static std::string fixFor(const ContextAccess& access, const ContextAccess& other, bool processes) {
    if (!access.guardedBy.empty())
      return "take " + quoted(access.guardedBy) + " here, as its annotation requires";
    if (!other.locks.empty())
      return "take " + lockNames(other.locks) + " here too, as the access at " + shortLocation(other.loc) +
             " does";
    if (processes)
      return "guard " + quoted(access.var) +
             " with a process-shared mutex (PTHREAD_PROCESS_SHARED) kept in the shared memory, or make it "
             "atomic";
    return "guard " + quoted(access.var) + " with one mutex held at every access, or make it std::atomic";
  }

  Finding describe(const ProgramModel& model, const Race& race) const {
    const ContextAccess& access = *race.access;
    const ContextAccess& other = *race.other;
    const ThreadContext& context = model.contexts[access.context];
    std::string var = quoted(access.var);
    Finding finding{std::string(id()), defaultSeverity(), access.loc, "", {}};
    std::string here =
        access.locks.empty() ? " but not here" : " but by " + lockNames(access.locks) + " here";
    if (!access.guardedBy.empty()) {
      // Pointees of a PT_GUARDED_BY pointer are named `*pointer` (a field
      // through an object handed to threads, `*f::p@...->field`, is not one).
      bool pointee = access.var.starts_with('*') && access.var.find("->") == std::string::npos;
      finding.message = var + " is guarded by " + quoted(access.guardedBy) +
                        (pointee ? " (PT_GUARDED_BY)" : " (GUARDED_BY)") + here;
      if (&other != &access)
        finding.related.push_back(
            {other.loc, std::string("conflicting ") + (other.write ? "write" : "read") + " here"});
    } else if (!other.locks.empty()) {
      finding.message =
          var + " is guarded by " + lockNames(other.locks) + " at " + shortLocation(other.loc) + here;
      finding.related.push_back({other.loc, var + " accessed here holding " + lockNames(other.locks)});
    } else if (access.write) {
      finding.message =
          var + " is written by " + threadsOf(context, other.context == access.context) + " without a lock";
      if (&other != &access)
        finding.related.push_back(
            {other.loc, std::string("conflicting ") + (other.write ? "write" : "read") + " here"});
    } else {
      finding.message = var + " is read by " + threadsOf(context, other.context == access.context) +
                        " without a lock while it is written at " + shortLocation(other.loc);
      finding.related.push_back({other.loc, "conflicting write here"});
    }
    auto noteStart = [&](size_t index) {
      const ThreadContext& started = model.contexts[index];
      if (started.kind == ThreadContext::Kind::Entry)
        finding.related.push_back(
            {started.startSites.front(), "thread running " + quoted(started.name) + " started here"});
    };
    noteStart(access.context);
    if (other.context != access.context) noteStart(other.context);
    if (context.process())
      finding.related.push_back(
          {context.startSites.front(),
           "child process forked here; it runs with the parent until the parent waits"});
    finding.related.push_back({access.loc, "fix: " + fixFor(access, other, context.process())});
    return finding;
  }
};

}  // namespace

std::unique_ptr<Check> makeUnguardedAccessCheck() { return std::make_unique<UnguardedAccessCheck>(); }

}  // namespace conc::lint
