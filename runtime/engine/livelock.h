// Livelock evidence for the runtime's lock analyses: threads that keep
// failing try-locks while holding other locks (and so back off and retry)
// without ever getting the whole set. Each such thread publishes its streak
// here at every failure; a streak that lasted the window (or failed very
// often), against a thread whose own streak did too, is a livelock. Pure data, unit-tested; the
// interceptors decide what a failure and progress are.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/engine.h"
#include "engine/spin_lock.h"

namespace conc::engine {

// A thread's current streak of failed try-locks.
struct Retreat {
  Tid tid = 0;
  uintptr_t lock = 0;  // the lock its latest attempt failed on
  Tid blocker = 0;     // that lock's owner then
  bool has_blocker = false;
  uint32_t failures = 0;  // attempts failed since the streak began
  uint64_t since_ns = 0;  // when the streak began
  uint32_t stack = 0;     // Engine::stack_handle of the latest attempt
  bool reported = false;
};

class RetreatTable {
 public:
  // A streak counts once it has min_failures and either lasted window_ns or
  // reached many_failures (a fast lock step fails that often in no time).
  struct Rule {
    uint64_t window_ns = 0;
    uint32_t min_failures = 0;
    uint32_t many_failures = 0;
  };
  // Records `streak` (its `reported` is kept from the table). When it and its
  // blocker's streak both satisfy `rule` and neither was reported yet, marks
  // both reported and returns them, the caller's first.
  std::optional<std::vector<Retreat>> failed(const Retreat& streak, uint64_t now_ns, Rule rule);
  // The thread made progress or ended: its streak is over.
  void clear(Tid tid);

 private:
  SpinLock lock_;
  std::vector<Retreat> streaks_;  // few: only threads failing right now
};

}  // namespace conc::engine
