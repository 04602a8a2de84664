// thread-not-joined: a std::thread destroyed while still joinable on some
// path (std::terminate), and a pthread created and never joined nor detached
// (its resources leak, and nothing waits for it before the process exits).
#include <set>

#include "checks/path_support.h"
#include "checks/registry.h"

namespace conc::lint {
namespace {

class ThreadNotJoinedCheck : public Check {
 public:
  std::string_view id() const override { return "thread-not-joined"; }
  std::string_view description() const override {
    return "Thread destroyed while joinable, or created and never joined nor detached";
  }

  std::vector<Finding> run(const ProgramModel& model) const override {
    const PathFacts& facts = model.paths;
    std::vector<Finding> findings;
    for (const auto& [function, event] : facts.events(PathEventKind::ThreadLeak)) {
      Finding found = finding(*this, event->loc,
                              "`" + event->subject +
                                  "` is destroyed while still joinable on a path "
                                  "from its start at " +
                                  shortLocation(event->origin) + " (std::terminate)");
      found.related.push_back({event->origin, "thread started here"});
      found.related.push_back({event->origin,
                               "fix: join() or detach() it on every path, or "
                               "use std::jthread"});
      findings.push_back(std::move(found));
    }
    std::set<std::string> ended, selfDetached;
    for (const auto& [function, event] : facts.events(PathEventKind::PthreadEnd)) {
      ended.insert(event->subject);
      if (event->subject == "self") selfDetached.insert(function->id);
    }
    for (const auto& [function, event] : facts.events(PathEventKind::PthreadCreate)) {
      if (event->flag || ended.count(event->subject) || selfDetached.count(event->detail)) continue;
      Finding found = finding(
          *this, event->loc, "thread created in " + quoted(event->subject) + " is never joined nor detached");
      found.related.push_back({event->loc,
                               "fix: pthread_join() it, or pthread_detach() it if "
                               "nobody needs to wait for it"});
      findings.push_back(std::move(found));
    }
    return findings;
  }
};

}  // namespace

std::unique_ptr<Check> makeThreadNotJoinedCheck() { return std::make_unique<ThreadNotJoinedCheck>(); }

}  // namespace conc::lint
