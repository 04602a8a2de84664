// The dataflow facts of the lockset analysis at one program point: locks
// held on every path, RAII guards and whether they own their locks, whether
// threads started here may still run, and the synchronization objects
// acquired on every path, and which side of a fork() the point is on. Joins
// intersect (must-facts) or unite (may-facts).
#pragma once

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>

#include "analyses/process_api.h"
#include "analyses/summary.h"

namespace conc::lint {

struct Guard {
  std::vector<std::string> locks;
  LockMode mode = LockMode::Exclusive;
  bool owns = false;
  bool tryPending = false;  // constructed with try_to_lock, not yet tested
  bool operator==(const Guard&) const = default;
};

struct FlowState {
  bool reachable = false;
  std::map<std::string, HeldLock> held;
  std::map<const clang::VarDecl*, Guard> guards;
  bool threadsMayRun = false;
  std::set<std::string> acquired;  // synchronization objects acquired on all paths
  std::set<std::string> released;  // see ReleasedSet: a may-fact
  ForkRegion fork;

  bool operator==(const FlowState&) const = default;

  void joinWith(const FlowState& other) {
    if (!other.reachable) return;
    if (!reachable) {
      *this = other;
      return;
    }
    for (auto it = held.begin(); it != held.end();) {
      auto match = other.held.find(it->first);
      if (match == other.held.end()) {
        it = held.erase(it);
        continue;
      }
      if (match->second.mode == LockMode::Shared) it->second.mode = LockMode::Shared;
      if (match->second.instance != it->second.instance) it->second.instance.clear();
      ++it;
    }
    for (auto it = guards.begin(); it != guards.end();) {
      auto match = other.guards.find(it->first);
      if (match == other.guards.end() || match->second.locks != it->second.locks) {
        it = guards.erase(it);
        continue;
      }
      it->second.owns = it->second.owns && match->second.owns;
      it->second.tryPending = it->second.tryPending || match->second.tryPending;
      ++it;
    }
    threadsMayRun = threadsMayRun || other.threadsMayRun;
    released.insert(other.released.begin(), other.released.end());
    fork.joinWith(other.fork);
    std::set<std::string> common;
    std::set_intersection(acquired.begin(), acquired.end(), other.acquired.begin(), other.acquired.end(),
                          std::inserter(common, common.end()));
    acquired = std::move(common);
  }

  // Drops a lock, also when the caller took it (or REQUIRES says it did).
  void release(const std::string& lock) {
    held.erase(lock);
    released.insert(lock);
  }

  ReleasedSet releasedSet() const { return {released.begin(), released.end()}; }

  Lockset lockset() const {
    Lockset set;
    for (const auto& [id, lock] : held) set.push_back(lock);
    return set;
  }
};

// A try-lock whose outcome a branch condition may test.
struct PendingTry {
  std::vector<std::string> locks;
  LockMode mode = LockMode::Exclusive;
  Location loc;
  bool succeedsWhenZero = false;
  const clang::VarDecl* guard = nullptr;
};
using PendingTries = std::map<const clang::Expr*, PendingTry>;

}  // namespace conc::lint
