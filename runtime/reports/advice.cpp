// Fix advice and docs pages for reports. The advice names what the report
// shows (functions from the first user frames, globals by name) so the line
// reads as an instruction about this program, not about the report kind.
#include "reports/advice.h"

#include <sys/stat.h>
#include <climits>
#include <cstdlib>

#include "reports/format.h"

namespace conc::rt {
namespace {

// "`reader`", or "" when the stack has no known function.
std::string function_of(const FrameList& stack) {
  const Frame* f = first_user_frame(stack);
  return f && !f->function.empty() ? "`" + f->function + "`" : "";
}

// "`reader` (race.c:12)".
std::string place_of(const FrameList& stack) {
  const Frame* f = first_user_frame(stack);
  if (!f) return "";
  std::string out = f->function.empty() ? "" : "`" + f->function + "`";
  if (!f->file.empty()) {
    size_t slash = f->file.rfind('/');
    out += (out.empty() ? "" : " ") + std::string("(") +
           (slash == std::string::npos ? f->file : f->file.substr(slash + 1)) + ":" +
           std::to_string(f->line) + ")";
  }
  return out;
}

bool directory_exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string race_advice(const ReportView& r) {
  std::string what = "the racy memory";
  if (r.location && r.location->kind == LocationView::Kind::Global)
    what = "`" + r.location->name + "`";
  else if (r.location)
    what = "the heap block allocated in " + place_of(r.location->stack);
  std::string where;
  if (r.accesses.size() == 2) {
    std::string a = function_of(r.accesses[0].stack), b = function_of(r.accesses[1].stack);
    if (!a.empty() && !b.empty()) where = a == b ? " (both in " + a + ")" : " (in " + a + " and " + b + ")";
  }
  return "guard " + what + " with one mutex held at both accesses" + where + ", or make it std::atomic";
}

std::string cycle_advice(const ReportView& r) {
  if (r.cycle.empty()) return "take the locks in one global order";
  std::string order;
  for (const EdgeView& e : r.cycle) order += (order.empty() ? "" : " before ") + lock_label(r, e.from);
  // The closing edge takes the first lock while holding the last: that is
  // the acquisition out of order.
  const EdgeView& closing = r.cycle.back();
  return "always lock " + order + ": " + place_of(closing.stack) + " takes " + lock_label(r, closing.to) +
         " while holding " + lock_label(r, closing.from) + "; or take them together with std::scoped_lock";
}

std::string misuse_advice(const ReportView& r) {
  const std::string& d = r.detail;
  if (d.starts_with("wait on a condition variable without"))
    return "lock the condition variable's mutex before waiting, and keep it locked until the wait returns";
  if (d.starts_with("relock of a non-recursive"))
    return "do not lock a mutex you already hold: split the function into a locked and an unlocked part, "
           "or use a recursive mutex";
  if (d.starts_with("destroy of a locked"))
    return "unlock the mutex (and join the threads using it) before destroying it";
  if (d.starts_with("unlock of an unlocked") || d.starts_with("unlock of a mutex held by another"))
    return "unlock only a mutex this thread locked, once: use std::lock_guard so lock and unlock pair up";
  if (d.starts_with("free of memory holding"))
    return "unlock the mutex before freeing the memory that holds it";
  if (d.starts_with("fork while"))
    return "fork before starting threads, or exec right after fork (posix_spawn does both)";
  if (d.starts_with("join of a thread that was already joined")) return "join each thread exactly once";
  return "use the lock API as documented: lock before wait and unlock, unlock only what you locked";
}

}  // namespace

// The three shapes of lock_analyses.cpp's starvation reports, by their detail.
std::string starvation_advice(const ReportView& r) {
  if (r.detail.find("held all that time") != std::string::npos)
    return "move the slow part (sleep, I/O, long work) out of the critical section: copy what it needs "
           "under the lock, work without it, then take the lock again only to publish the result";
  if (r.detail.starts_with("writer starvation"))
    return "let writers in: a writer-preferring rwlock (pthread_rwlockattr_setkind_np with "
           "PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP), or shorter read sections";
  return "do not re-take the lock at once in a loop: do the work between iterations outside it, or use a "
         "fair hand-off (a ticket lock, a condition variable) so waiters get their turn";
}

std::string lock_label(const ReportView& report, uintptr_t lock) {
  for (size_t i = 0; i < report.cycle.size(); ++i)
    if (report.cycle[i].from == lock) {
      std::string label = "M" + std::to_string(i);
      if (!report.cycle[i].from_name.empty()) label += " `" + report.cycle[i].from_name + "`";
      return label;
    }
  return hex(lock);
}

std::string fix_advice(const ReportView& r) {
  switch (r.kind) {
    case engine::ReportKind::DataRace:
      return race_advice(r);
    case engine::ReportKind::LockOrderInversion:
      return cycle_advice(r);
    case engine::ReportKind::Deadlock:
      if (r.detail.find("which it holds itself") != std::string::npos)
        return "do not lock a mutex you already hold (or use a recursive mutex)";
      return "always take these locks in one order (std::scoped_lock takes several at once), and never block "
             "on a join or wait while holding a lock another thread needs";
    case engine::ReportKind::AbandonedLock:
      return "unlock on every path: use std::lock_guard so the lock is released on returns and on the "
             "exception path";
    case engine::ReportKind::MutexMisuse:
      return misuse_advice(r);
    case engine::ReportKind::ThreadLeak:
      if (r.detail.find("max_threads") != std::string::npos)
        return "bound the threads: run the tasks on a fixed pool of threads instead of one thread each";
      return "join() every thread before the program ends (or detach() it if nobody needs its result)";
    case engine::ReportKind::Hang:
      return "make sure every wait has a thread that will wake it: notify after changing the condition, "
             "under the mutex, and wait in a loop on the condition";
    case engine::ReportKind::Starvation:
      return starvation_advice(r);
    case engine::ReportKind::Livelock:
      return "take the locks in one global order (or with std::scoped_lock) instead of try-lock and back off";
    case engine::ReportKind::Contention:
      return "shorten the critical sections of the most contended locks, or split them";
  }
  return "see the report kind's docs page";
}

std::string docs_page(const std::string& docs_dir, engine::ReportKind kind) {
  return docs_dir + "/reports/" + kind_name(kind) + ".md";
}

std::string docs_dir_for(const std::string& module) {
  size_t slash = module.rfind('/');
  if (slash != std::string::npos) {
    char resolved[PATH_MAX];
    std::string installed = module.substr(0, slash) + "/../share/doc/conc";
    if (directory_exists(installed) && realpath(installed.c_str(), resolved)) return resolved;
  }
  return CONC_DOCS_DIR;
}

}  // namespace conc::rt
