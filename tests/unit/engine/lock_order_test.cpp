// Lock-order graph: inversions and cycles reported once, benign shapes
// (single thread, gate lock, try-lock, shared/shared) stay silent.
#include "test_support.h"

namespace conc::engine::test {
namespace {

class LockOrderTest : public EngineTest {
 protected:
  static constexpr uintptr_t kA = 0xA000, kB = 0xB000, kC = 0xC000, kGate = 0x6000;

  // Takes `first` then `second` and releases both.
  void nested(ThreadState* t, uintptr_t first, uintptr_t second, LockFlags second_flags = {},
              LockFlags first_flags = {}) {
    engine.mutex_lock(t, first, first_flags, first + 1);
    engine.mutex_lock(t, second, second_flags, second + 2);
    engine.mutex_unlock(t, second, second_flags.shared, 0);
    engine.mutex_unlock(t, first, first_flags.shared, 0);
  }
};

TEST_F(LockOrderTest, AbbaIsReportedOnceWithBothEdges) {
  engine.func_entry(main_thread, 0xF0);
  ThreadState* t1 = spawn(main_thread, 0xC1);
  ThreadState* t2 = spawn(main_thread, 0xC2);
  engine.func_entry(t1, 0x10);
  nested(t1, kA, kB);
  engine.func_entry(t2, 0x20);
  nested(t2, kB, kA);
  nested(t2, kB, kA);
  nested(t1, kA, kB);
  ASSERT_EQ(cycles(), 1u);
  const Report r = sink.reports()[0];
  ASSERT_EQ(r.cycle.size(), 2u);
  // Cycle order, ending with the edge that closed it.
  EXPECT_EQ(r.cycle[0].from, kA);
  EXPECT_EQ(r.cycle[0].to, kB);
  EXPECT_EQ(r.cycle[0].tid, engine.tid(t1));
  EXPECT_EQ(r.cycle[0].from_acquired_at, (Stack{kA + 1, 0x10}));
  EXPECT_EQ(r.cycle[0].to_acquired_at, (Stack{kB + 2, 0x10}));
  EXPECT_EQ(r.cycle[1].from, kB);
  EXPECT_EQ(r.cycle[1].to, kA);
  EXPECT_EQ(r.cycle[1].tid, engine.tid(t2));
  EXPECT_EQ(r.cycle[1].from_acquired_at, (Stack{kB + 1, 0x20}));
  EXPECT_EQ(r.cycle[1].to_acquired_at, (Stack{kA + 2, 0x20}));
  ASSERT_EQ(r.threads.size(), 2u);
  ASSERT_NE(thread_info(r, engine.tid(t1)), nullptr);
  EXPECT_EQ(thread_info(r, engine.tid(t1))->created_at, (Stack{0xC1, 0xF0}));
}

TEST_F(LockOrderTest, DiningPhilosophersCycle) {
  constexpr int kN = 5;
  std::vector<ThreadState*> philosophers;
  philosophers.reserve(kN);
  for (int i = 0; i < kN; ++i) philosophers.push_back(spawn());
  for (int i = 0; i < kN; ++i)
    nested(philosophers[i], 0x1000 * (static_cast<uintptr_t>(i) + 1),
           0x1000 * (static_cast<uintptr_t>((i + 1) % kN) + 1));
  ASSERT_EQ(cycles(), 1u);
  const Report r = sink.reports()[0];
  ASSERT_EQ(r.cycle.size(), static_cast<size_t>(kN));
  for (int i = 0; i < kN; ++i) EXPECT_EQ(r.cycle[i].to, r.cycle[(i + 1) % kN].from);
  EXPECT_EQ(r.threads.size(), static_cast<size_t>(kN));
}

TEST_F(LockOrderTest, SingleThreadInversionIsSilent) {
  ThreadState* t = spawn();
  nested(t, kA, kB);
  nested(t, kB, kA);
  EXPECT_EQ(cycles(), 0u);
  // A second thread makes it real.
  nested(spawn(), kA, kB);
  EXPECT_EQ(cycles(), 1u);
}

TEST_F(LockOrderTest, GateLockMakesItSilent) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  engine.mutex_lock(t1, kGate, {}, 1);
  nested(t1, kA, kB);
  engine.mutex_unlock(t1, kGate, false, 2);
  engine.mutex_lock(t2, kGate, {}, 3);
  nested(t2, kB, kA);
  engine.mutex_unlock(t2, kGate, false, 4);
  EXPECT_EQ(cycles(), 0u);
}

TEST_F(LockOrderTest, SharedGateIsNoGate) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  engine.mutex_lock(t1, kGate, {.shared = true}, 1);
  nested(t1, kA, kB);
  engine.mutex_unlock(t1, kGate, true, 2);
  engine.mutex_lock(t2, kGate, {.shared = true}, 3);
  nested(t2, kB, kA);
  engine.mutex_unlock(t2, kGate, true, 4);
  EXPECT_EQ(cycles(), 1u);
}

TEST_F(LockOrderTest, GateOnOnlyOneSideDoesNotHide) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  engine.mutex_lock(t1, kGate, {}, 1);
  nested(t1, kA, kB);
  engine.mutex_unlock(t1, kGate, false, 2);
  nested(t2, kB, kA);
  EXPECT_EQ(cycles(), 1u);
}

TEST_F(LockOrderTest, TryLockClosingEdgeIsSilent) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  nested(t1, kA, kB);
  nested(t2, kB, kA, {.try_lock = true});
  EXPECT_EQ(cycles(), 0u);
}

TEST_F(LockOrderTest, LocksTakenUnderATryLockStillOrder) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  nested(t1, kA, kC, {}, {.try_lock = true});  // edge A -> C from the try-locked A
  nested(t2, kC, kA);
  EXPECT_EQ(cycles(), 1u);
}

TEST_F(LockOrderTest, SharedSharedIsSilent) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  nested(t1, kA, kB, {.shared = true}, {.shared = true});
  nested(t2, kB, kA, {.shared = true}, {.shared = true});
  EXPECT_EQ(cycles(), 0u);
}

TEST_F(LockOrderTest, ReadLockHeldAndWaitedSharedCannotBlock) {
  // t1 holds A shared waiting for B; t2 waits for A shared: readers share A.
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  nested(t1, kA, kB, {}, {.shared = true});
  nested(t2, kB, kA, {.shared = true});
  EXPECT_EQ(cycles(), 0u);
}

TEST_F(LockOrderTest, WriterAgainstReaderIsReported) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  nested(t1, kA, kB, {}, {.shared = true});
  nested(t2, kB, kA);  // waits for A exclusively while t1 holds it shared
  EXPECT_EQ(cycles(), 1u);
}

TEST_F(LockOrderTest, DestroyedMutexForgetsEdges) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  nested(t1, kA, kB);
  engine.mutex_destroy(t1, kA);
  engine.mutex_create(t2, kA, 1);
  nested(t2, kB, kA);
  EXPECT_EQ(cycles(), 0u);
}

TEST_F(LockOrderTest, FreedMutexForgetsEdges) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  engine.alloc(t1, 0x40000, 64, 1);
  nested(t1, 0x40010, kB);
  engine.free(t1, 0x40000, 2);
  nested(t2, kB, 0x40010);
  EXPECT_EQ(cycles(), 0u);
  nested(t1, 0x40010, kB);  // same order again after the new lock's edge
  EXPECT_EQ(cycles(), 1u);
}

TEST_F(LockOrderTest, RecursiveAndDeepHoldingIsGraceful) {
  ThreadState* t = spawn();
  engine.mutex_lock(t, kA, {}, 1);
  engine.mutex_lock(t, kA, {}, 2);  // recursive: no self edge
  for (uintptr_t m = 0; m < 100; ++m) engine.mutex_lock(t, 0x100000 + m * 8, {}, 3);
  for (uintptr_t m = 100; m > 0; --m) engine.mutex_unlock(t, 0x100000 + (m - 1) * 8, false, 4);
  engine.mutex_unlock(t, kA, false, 5);
  engine.mutex_unlock(t, kA, false, 6);
  EXPECT_EQ(cycles(), 0u);
  // Still tracking correctly afterwards.
  nested(t, kA, kB);
  nested(spawn(), kB, kA);
  EXPECT_EQ(cycles(), 1u);
}

TEST_F(LockOrderTest, TwoDisjointCyclesAreBothReported) {
  ThreadState* t1 = spawn();
  ThreadState* t2 = spawn();
  nested(t1, kA, kB);
  nested(t2, kB, kA);
  nested(t1, kB, kC);
  nested(t2, kC, kB);
  EXPECT_EQ(cycles(), 2u);
}

// The graph written at exit: one edge per ordered pair, with where each lock
// was taken, kept after its locks are destroyed.
TEST_F(LockOrderTest, EdgesOutliveTheirLocks) {
  ThreadState* t = spawn();
  engine.func_entry(t, 0x10);
  nested(t, kA, kB);
  nested(t, kA, kB);
  nested(t, kB, kC);
  engine.mutex_destroy(t, kB);
  std::vector<LockEdge> edges = engine.lock_order_edges();
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0].from, kA);
  EXPECT_EQ(edges[0].to, kB);
  EXPECT_EQ(edges[0].tid, engine.tid(t));
  EXPECT_EQ(edges[0].from_acquired_at, (Stack{kA + 1, 0x10}));
  EXPECT_EQ(edges[0].to_acquired_at, (Stack{kB + 2, 0x10}));
  EXPECT_EQ(edges[1].from, kB);
  EXPECT_EQ(edges[1].to, kC);
}

}  // namespace
}  // namespace conc::engine::test
