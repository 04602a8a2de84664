// LockTable, CondBindings and the wait-for graph searches of the lock analyses.
#include <gtest/gtest.h>

#include "engine/lock_state.h"
#include "engine/wait_graph.h"

namespace conc::engine {
namespace {

TEST(LockTable, TracksOwnerDepthAndRelease) {
  LockTable table;
  table.acquired(0x1000, 3, 7, false);
  table.acquired(0x1000, 3, 9, false);  // recursive: keeps the outer site
  ASSERT_TRUE(table.held(0x1000));
  EXPECT_EQ(table.held(0x1000)->owner, 3u);
  EXPECT_EQ(table.held(0x1000)->acquired_at, 7u);
  EXPECT_FALSE(table.released(0x1000, 4));  // not the owner
  EXPECT_TRUE(table.released(0x1000, 3));
  EXPECT_TRUE(table.held(0x1000));
  EXPECT_TRUE(table.released(0x1000, 3));
  EXPECT_FALSE(table.held(0x1000));
  EXPECT_FALSE(table.released(0x1000, 3));  // a second unlock
}

TEST(LockTable, HeldByAndEraseRange) {
  LockTable table;
  table.acquired(0x10000, 1, 0, false);
  table.acquired(0x10ff8, 2, 0, true);
  table.acquired(0x20000, 1, 0, false);
  EXPECT_EQ(table.held_by(1).size(), 2u);
  EXPECT_EQ(table.all_held().size(), 3u);
  std::vector<LockHold> freed = table.erase(0x10000, 0x1000);  // spans one page
  ASSERT_EQ(freed.size(), 2u);
  EXPECT_EQ(table.all_held().size(), 1u);
  EXPECT_TRUE(table.erase(0x10000, 0x1000).empty());
}

TEST(CondBindings, ReportsASecondMutexOnlyWhileWaitersExist) {
  CondBindings b;
  EXPECT_EQ(b.wait_begins(0x50, 0x10), 0u);
  EXPECT_EQ(b.wait_begins(0x50, 0x10), 0u);
  EXPECT_EQ(b.wait_begins(0x50, 0x20), 0x10u);
  b.wait_ends(0x50);
  b.wait_ends(0x50);
  b.wait_ends(0x50);
  EXPECT_EQ(b.wait_begins(0x50, 0x20), 0u);  // no waiters left: a new binding
}

ThreadWait blocked(Tid tid, WaitKind kind, uintptr_t object, Tid target = 0, bool timed = false) {
  return {tid, Wait{.kind = kind, .object = object, .target = target, .timed = timed}};
}

TEST(WaitGraph, FindsCyclesThroughLocksAndJoins) {
  // T1 waits for lock A (held by T2), T2 joins T1; T3 waits for A too.
  std::vector<ThreadWait> threads = {blocked(1, WaitKind::Lock, 0xA), blocked(2, WaitKind::Join, 0, 1),
                                     blocked(3, WaitKind::Lock, 0xA), {0, std::nullopt}};
  auto target = [](const ThreadWait& t) -> std::optional<Tid> {
    if (t.wait->kind == WaitKind::Join) return t.wait->target;
    return Tid{2};
  };
  std::vector<ThreadWait> cycle = find_wait_cycle(threads, target);
  ASSERT_EQ(cycle.size(), 2u);
  EXPECT_EQ(cycle[0].tid, 1u);
  EXPECT_EQ(cycle[1].tid, 2u);
}

TEST(WaitGraph, SelfCycleAndNoCycle) {
  std::vector<ThreadWait> self = {blocked(4, WaitKind::Lock, 0xB)};
  EXPECT_EQ(find_wait_cycle(self, [](const ThreadWait&) { return std::optional<Tid>(4); }).size(), 1u);
  EXPECT_TRUE(find_wait_cycle(self, [](const ThreadWait&) { return std::optional<Tid>(); }).empty());
}

TEST(WaitGraph, AllBlockedNeedsEveryThreadInAnUntimedWait) {
  EXPECT_FALSE(all_blocked({}));
  EXPECT_TRUE(all_blocked({blocked(0, WaitKind::Join, 0, 1), blocked(1, WaitKind::Cond, 0xC)}));
  EXPECT_FALSE(all_blocked({blocked(0, WaitKind::Join, 0, 1), blocked(1, WaitKind::Cond, 0xC, 0, true)}));
  EXPECT_FALSE(all_blocked({blocked(0, WaitKind::Join, 0, 1), {1, std::nullopt}}));
}

TEST(WaitGraph, SerialsIdentifyWaits) {
  WaitGraph g;
  g.thread_started(0);
  g.thread_started(1);
  g.begin(1, Wait{.kind = WaitKind::Semaphore, .object = 0x5});
  std::vector<ThreadWait> s1 = g.snapshot();
  ASSERT_EQ(s1.size(), 2u);
  EXPECT_FALSE(s1[0].wait);
  ASSERT_TRUE(s1[1].wait);
  g.end(1);
  g.begin(1, Wait{.kind = WaitKind::Semaphore, .object = 0x5});
  EXPECT_NE(g.snapshot()[1].wait->serial, s1[1].wait->serial);
  g.thread_finished(1);
  EXPECT_EQ(g.snapshot().size(), 1u);
}

}  // namespace
}  // namespace conc::engine
