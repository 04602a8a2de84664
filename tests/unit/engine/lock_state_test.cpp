// LockTable, CondBindings, the livelock streaks and the wait-for graph
// searches of the lock analyses.
#include <gtest/gtest.h>

#include "engine/livelock.h"
#include "engine/lock_state.h"
#include "engine/wait_graph.h"

namespace conc::engine {
namespace {

Acquisition by(Tid owner, uint32_t stack = 0, bool robust = false) {
  return {.owner = owner, .stack = stack, .robust = robust};
}

TEST(LockTable, TracksOwnerDepthAndRelease) {
  LockTable table;
  table.acquired(0x1000, by(3, 7));
  table.acquired(0x1000, by(3, 9));  // recursive: keeps the outer site
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
  table.acquired(0x10000, by(1));
  table.acquired(0x10ff8, by(2, 0, true));
  table.acquired(0x20000, by(1));
  EXPECT_EQ(table.held_by(1).size(), 2u);
  EXPECT_EQ(table.all_held().size(), 3u);
  std::vector<LockHold> freed = table.erase(0x10000, 0x1000);  // spans one page
  ASSERT_EQ(freed.size(), 2u);
  EXPECT_EQ(table.all_held().size(), 1u);
  EXPECT_TRUE(table.erase(0x10000, 0x1000).empty());
}

TEST(LockTable, ReadersAreHolders) {
  LockTable table;
  table.acquired(0x6000, {.owner = 1, .stack = 3, .shared = true});
  table.acquired(0x6000, {.owner = 1, .stack = 4, .shared = true});  // recursive read
  table.acquired(0x6000, {.owner = 2, .stack = 5, .shared = true});
  EXPECT_FALSE(table.held(0x6000));  // no exclusive owner
  ASSERT_TRUE(table.holder(0x6000));
  EXPECT_TRUE(table.holder(0x6000)->shared);
  ASSERT_EQ(table.held_by(1).size(), 1u);
  EXPECT_EQ(table.held_by(1)[0].acquired_at, 3u);
  table.released_shared(0x6000, 1);
  EXPECT_EQ(table.held_by(1).size(), 1u);
  table.released_shared(0x6000, 1);
  EXPECT_TRUE(table.held_by(1).empty());
  EXPECT_EQ(table.holder(0x6000)->owner, 2u);
  EXPECT_EQ(table.erase(0x6000, 8).size(), 1u);  // freed while read-held
  EXPECT_FALSE(table.holder(0x6000));
}

TEST(LockTable, StatisticsOfWaitsAndHolds) {
  LockTable table;
  table.created(0x3000, 11);
  table.acquired(0x3000, {.owner = 1, .stack = 5, .now_ns = 1000});
  EXPECT_TRUE(table.released(0x3000, 1, 1500));
  table.acquired(0x3000, {.owner = 2, .stack = 6, .waited = true, .wait_ns = 300, .now_ns = 2000});
  EXPECT_TRUE(table.released(0x3000, 2, 4000));
  table.acquired(0x3000, {.owner = 1, .stack = 5, .shared = true, .waited = true, .wait_ns = 100});
  std::optional<LockStats> st = table.stats(0x3000);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->site, 11u);  // the creation, not the first lock
  EXPECT_TRUE(st->created);
  EXPECT_EQ(st->acquisitions, 3u);
  EXPECT_EQ(st->contended, 2u);
  EXPECT_EQ(st->total_wait_ns, 400u);
  EXPECT_EQ(st->max_wait_ns, 300u);
  EXPECT_EQ(st->total_hold_ns, 2500u);
  EXPECT_EQ(st->max_hold_ns, 2000u);
  EXPECT_FALSE(table.held(0x3000));  // a reader owns nothing
  // Without init, the site is the first acquisition.
  table.acquired(0x4000, by(1, 42));
  EXPECT_EQ(table.stats(0x4000)->site, 42u);
  EXPECT_FALSE(table.stats(0x4000)->created);
}

TEST(LockTable, ActivityCountsTakersSinceASnapshot) {
  LockTable table;
  table.acquired(0x5000, by(1));
  LockActivity before = *table.activity(0x5000);
  for (int i = 0; i < 3; ++i) table.acquired(0x5000, {.owner = 2, .stack = 8, .shared = true});
  table.acquired(0x5000, {.owner = 1, .shared = true});
  LockActivity after = *table.activity(0x5000);
  EXPECT_EQ(after.acquisitions, 5u);
  EXPECT_EQ(after.taken_since(before, 2), 3u);
  EXPECT_EQ(after.taken_since(before, 1), 1u);
  EXPECT_EQ(after.taken_since(before, 9), 0u);
  // More threads than slots: the least active one makes room.
  for (Tid t = 3; t < 3 + LockActivity::kTakers; ++t) table.acquired(0x5000, {.owner = t, .shared = true});
  EXPECT_EQ(table.activity(0x5000)->taken_since(before, 2), 3u);
}

TEST(LockTable, DestroyedLocksKeepOnlyTheMostContendedStatistics) {
  LockTable table;
  // Many short-lived locks at recycled addresses: records go, and only a
  // bounded list of statistics stays.
  for (uint64_t i = 0; i < 1000; ++i) {
    const uintptr_t lock = 0x8000 + (i % 4) * 64;
    table.created(lock, 1);
    table.acquired(lock, {.owner = 1, .waited = true, .wait_ns = i + 1});
    table.released(lock, 1);
    table.destroyed(lock);
    EXPECT_FALSE(table.stats(lock));
  }
  table.acquired(0x9000, by(1));  // never contended: not listed
  std::vector<LockStats> top = table.most_contended(100);
  ASSERT_EQ(top.size(), 64u);
  EXPECT_EQ(top[0].total_wait_ns, 1000u);
  EXPECT_EQ(top[63].total_wait_ns, 937u);
  EXPECT_EQ(table.most_contended(3).size(), 3u);
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

TEST(RetreatTable, ALivelockNeedsBothStreaksToLast) {
  RetreatTable table;
  const RetreatTable::Rule rule{.window_ns = 100, .min_failures = 3, .many_failures = 50};
  auto streak = [](Tid tid, Tid blocker, uint32_t failures) {
    return Retreat{.tid = tid,
                   .lock = 0xA0 + tid,
                   .blocker = blocker,
                   .has_blocker = true,
                   .failures = failures,
                   .since_ns = 0};
  };
  EXPECT_FALSE(table.failed(streak(1, 2, 5), 200, rule));  // T2 is not backing off
  EXPECT_FALSE(table.failed(streak(2, 1, 2), 200, rule));  // too few failures yet
  EXPECT_FALSE(table.failed(streak(1, 2, 6), 50, rule));   // too short yet
  std::optional<std::vector<Retreat>> found = table.failed(streak(2, 1, 3), 200, rule);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].tid, 2u);
  EXPECT_EQ((*found)[1].tid, 1u);
  EXPECT_FALSE(table.failed(streak(1, 2, 7), 300, rule));  // reported once
  // Progress ends a streak: a new one must last the window again.
  table.clear(1);
  table.clear(2);
  EXPECT_FALSE(table.failed(streak(1, 2, 9), 300, rule));
  // Waiting on a lock nobody holds, or on itself, is no livelock.
  EXPECT_FALSE(table.failed(streak(3, 3, 9), 300, rule));
  // A fast lock step: many failures count before the window is over.
  EXPECT_FALSE(table.failed(streak(4, 5, 49), 10, rule));
  EXPECT_FALSE(table.failed(streak(5, 4, 60), 10, rule));
  EXPECT_TRUE(table.failed(streak(4, 5, 50), 10, rule));
}

ThreadWait blocked(Tid tid, WaitKind kind, uintptr_t object, Tid target = 0, bool timed = false) {
  return {tid, Wait{.kind = kind, .object = object, .target = target, .timed = timed}};
}

TEST(WaitGraph, FindsCyclesThroughLocksAndJoins) {
  // T1 waits for lock A (held by T2), T2 joins T1; T3 waits for A too.
  std::vector<ThreadWait> threads = {blocked(1, WaitKind::Lock, 0xA),
                                     blocked(2, WaitKind::Join, 0, 1),
                                     blocked(3, WaitKind::Lock, 0xA),
                                     {0, std::nullopt}};
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
