// RetreatTable: one short critical section per failed attempt.
#include "engine/livelock.h"

#include <algorithm>

namespace conc::engine {

namespace {
bool lasted(const Retreat& r, uint64_t now_ns, RetreatTable::Rule rule) {
  return r.failures >= rule.min_failures &&
         (now_ns - r.since_ns >= rule.window_ns || r.failures >= rule.many_failures);
}
}  // namespace

std::optional<std::vector<Retreat>> RetreatTable::failed(const Retreat& streak, uint64_t now_ns, Rule rule) {
  SpinGuard guard(lock_);
  auto mine =
      std::find_if(streaks_.begin(), streaks_.end(), [&](const Retreat& r) { return r.tid == streak.tid; });
  if (mine == streaks_.end()) {
    mine = streaks_.insert(streaks_.end(), streak);
  } else {
    const bool reported = mine->reported;
    *mine = streak;
    mine->reported = reported;
  }
  if (mine->reported || !streak.has_blocker || streak.blocker == streak.tid || !lasted(*mine, now_ns, rule))
    return std::nullopt;
  auto other = std::find_if(streaks_.begin(), streaks_.end(),
                            [&](const Retreat& r) { return r.tid == streak.blocker; });
  if (other == streaks_.end() || other->reported || !lasted(*other, now_ns, rule)) return std::nullopt;
  mine->reported = other->reported = true;
  return std::vector<Retreat>{*mine, *other};
}

void RetreatTable::clear(Tid tid) {
  SpinGuard guard(lock_);
  std::erase_if(streaks_, [tid](const Retreat& r) { return r.tid == tid; });
}

}  // namespace conc::engine
