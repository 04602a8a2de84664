// lock-leak: a lock (or a semaphore permit the function gives back
// elsewhere) taken by a call and still held on some path out of the
// function: an early return, a break past the unlock, pthread_exit, or an
// exception from a call in a manual lock/unlock region. Functions that return
// holding the lock on every path are lock wrappers and stay silent, unless a
// thread runs them (the thread ends holding the lock).
#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

bool isCxx(const std::string &file) { return !llvm::StringRef(file).ends_with(".c"); }

class LockLeakCheck : public Check {
public:
  std::string_view id() const override { return "lock-leak"; }
  std::string_view description() const override {
    return "Lock taken and not released on some path out of the function";
  }

  std::vector<Finding> run(const ProgramModel &model) const override {
    PathFacts facts(model.program);
    std::vector<Finding> findings;
    for (const auto &[function, event] : facts.events(PathEventKind::LockLeak)) {
      bool threadEnds = facts.isThreadEntry(function->id);
      if ((event->flag && !threadEnds) || function->isMain)
        continue; // returns holding the lock for its caller, or ends the process
      findings.push_back(describe(*function, *event, threadEnds));
    }
    return findings;
  }

private:
  Finding describe(const FunctionSummary &function, const PathEvent &event, bool threadEnds) const {
    std::string lock = lockName(event.subject);
    std::string taken = lock + " locked at " + shortLocation(event.origin);
    llvm::StringRef detail = event.detail;
    std::string message;
    if (detail.consume_front("throw:"))
      message = taken + " stays locked if `" + detail.str() + "` throws (abandoned lock)";
    else if (detail == "throw")
      message = taken + " stays locked when this exception leaves " + quoted(function.name) +
                " (abandoned lock)";
    else if (detail == "exit")
      message = taken + " is still held when the thread exits here (abandoned lock)";
    else if (event.flag)
      message = "thread " + quoted(function.name) + " returns with " + taken +
                " still held (abandoned lock)";
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
    found.related.push_back({event.origin, "fix: " + fix});
    return found;
  }
};

} // namespace

std::unique_ptr<Check> makeLockLeakCheck() { return std::make_unique<LockLeakCheck>(); }

} // namespace conc::lint
