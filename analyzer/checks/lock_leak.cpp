// lock-leak: a lock (or a semaphore permit the function gives back
// elsewhere) taken by a call and still held on some path out of the
// function: an early return, a break past the unlock, pthread_exit, or an
// exception from a call in a manual lock/unlock region. Functions that return
// holding the lock on every path are lock wrappers and stay silent, unless a
// thread runs them (the thread ends holding the lock). Also a thread that
// signals a semaphore once on its way out but leaves by another path
// without posting it: the permit its waiter counts on is lost.
#include <map>
#include <tuple>

#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

bool isCxx(const std::string& file) { return !llvm::StringRef(file).ends_with(".c"); }

class LockLeakCheck : public Check {
 public:
  std::string_view id() const override { return "lock-leak"; }
  std::string_view description() const override {
    return "Lock taken and not released on some path out of the function";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    const PathFacts& facts = model.paths;
    bool exceptionsCaught = dealsInExceptions(facts);
    std::vector<Finding> findings;
    // The first call (by position) that may throw, per lock taken.
    std::map<std::tuple<const FunctionSummary*, std::string, Location>, const PathEvent*> throws;
    for (const auto& [function, event] : facts.events(PathEventKind::LockLeak)) {
      bool threadEnds = facts.isThreadEntry(function->id);
      if (event->detail == "unposted") {
        // Only a thread's own exit is surely the end of its signalling: a
        // helper may be called again, in a loop, for the next item.
        if (threadEnds) findings.push_back(describeUnposted(*function, *event));
        continue;
      }
      if ((event->flag && !threadEnds) || function->isMain)
        continue;  // returns holding the lock for its caller, or ends the process
      if (!llvm::StringRef(event->detail).starts_with("throw:")) {
        findings.push_back(describe(*function, *event, threadEnds));
        continue;
      }
      if (!exceptionsCaught || !calleeMayThrow(facts, *function, *event)) continue;
      const PathEvent*& first = throws[{function, event->subject, event->origin}];
      if (!first || event->loc < first->loc) first = event;
    }
    for (const auto& [key, event] : throws) findings.push_back(describe(*std::get<0>(key), *event, false));
    return findings;
  }

  // Without a `throw` or a `try` in the program's own code, an exception can
  // only come from the library and nothing catches it: the process ends, and
  // no thread is left waiting for the lock.
  static bool dealsInExceptions(const PathFacts& facts) {
    for (const auto& [function, event] : facts.events(PathEventKind::Exception))
      if (event->detail == "throw" || event->detail == "try") return true;
    return false;
  }

  // The callee throws, or calls something that may throw, on some path; or
  // its body is not in the program (its declaration says it may throw).
  static bool calleeMayThrow(const PathFacts& facts, const FunctionSummary& caller, const PathEvent& event) {
    const FunctionSummary* callee =
        event.names.empty() ? nullptr : facts.definition(event.names.front(), caller.loc.file);
    if (!callee) return true;
    for (const auto& [function, chain] : facts.reachableFrom(*callee)) {
      for (const PathEvent& e : function->pathEvents)
        if (e.kind == PathEventKind::Exception && e.detail != "try") return true;
      for (const CallSite& call : function->calls)
        if (!facts.definition(call.callee, function->loc.file)) return true;
    }
    return false;
  }

 private:
  Finding describe(const FunctionSummary& function, const PathEvent& event, bool threadEnds) const {
    std::string lock = lockName(event.subject);
    std::string taken = lock + " locked at " + shortLocation(event.origin);
    llvm::StringRef detail = event.detail;
    std::string message;
    if (detail.consume_front("throw:"))
      message = taken + " stays locked if `" + detail.str() + "` throws (abandoned lock)";
    else if (detail == "throw")
      message =
          taken + " stays locked when this exception leaves " + quoted(function.name) + " (abandoned lock)";
    else if (detail == "exit")
      message = taken + " is still held when the thread exits here (abandoned lock)";
    else if (event.flag)
      message = "thread " + quoted(function.name) + " returns with " + taken + " still held (abandoned lock)";
    else
      message = taken + " is still held when " + quoted(function.name) +
                " returns here; another path releases it (abandoned lock)";
    Finding found = finding(*this, event.loc, std::move(message));
    found.related.push_back({event.origin, lock + " locked here"});
    std::string fix = isCxx(event.loc.file)
                          ? "use an RAII guard (std::lock_guard / std::unique_lock) so that every "
                            "path out releases it"
                          : "release it on every path out (one exit with a cleanup label)";
    if (threadEnds && event.flag)
      fix = "release it before the thread ends";
    else if (!event.fix.empty())
      fix = "replace the lock() with `" + event.fix.front().text + "` and drop the unlock()";
    found.related.push_back({event.origin, "fix: " + fix});
    found.fix = event.fix;
    return found;
  }

  Finding describeUnposted(const FunctionSummary& function, const PathEvent& event) const {
    std::string semaphore = lockName(event.subject);
    Finding found = finding(*this, event.loc,
                            "thread " + quoted(function.name) + " ends here without posting " + semaphore +
                                " (posted at " + shortLocation(event.origin) +
                                " on another path): whoever waits for it may wait forever (lost permit)");
    found.related.push_back({event.origin, semaphore + " posted here"});
    found.related.push_back(
        {event.loc, "fix: post " + semaphore + " on every path out, error paths included"});
    return found;
  }
};

}  // namespace

std::unique_ptr<Check> makeLockLeakCheck() { return std::make_unique<LockLeakCheck>(); }

}  // namespace conc::lint
