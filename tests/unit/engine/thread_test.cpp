// Thread lifecycle: slot reuse after join and detach without false or missed
// races.
#include "engine/thread.h"
#include "test_support.h"

namespace conc::engine::test {
namespace {

using ThreadTest = EngineTest;

TEST_F(ThreadTest, TidsAreUniqueAndMainIsZero) {
  EXPECT_EQ(engine.tid(main_thread), 0u);
  ThreadState* a = spawn();
  const Tid first = engine.tid(a);
  finish_and_join(main_thread, a);
  ThreadState* b = spawn();
  EXPECT_NE(engine.tid(b), first);
}

// longjmp support: cutting the shadow stack back to a recorded depth drops
// the frames a jump left, also past the stack's capacity.
TEST_F(ThreadTest, StackUnwindDropsTheFramesAJumpLeft) {
  ThreadState* a = spawn();
  engine.func_entry(a, 0xA0);
  const unsigned depth = engine.stack_depth(a);
  for (int i = 0; i < 1000; ++i) engine.func_entry(a, 0xB0);
  EXPECT_EQ(engine.stack_depth(a), depth + 1000);
  engine.stack_unwind(a, depth + 300);
  EXPECT_EQ(engine.stack_depth(a), depth + 300);
  engine.stack_unwind(a, depth);
  EXPECT_EQ(engine.stack_depth(a), depth);
  engine.write(a, kData, 4, 0x1);
  engine.write(main_thread, kData, 4, 0x2);
  const auto reports = sink.reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].accesses[1].stack, (Stack{0x1, 0xA0}));
}

// verify=1: a valid trace passes every check; a thread state that no longer
// agrees with the registry stops the program with the broken invariant.
TEST_F(ThreadTest, VerifyPassesAValidTraceAndAbortsOnABrokenState) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  engine.set_verify(true);
  ThreadState* a = spawn();
  engine.mutex_lock(a, kFlag, {}, 0x1);
  engine.write(a, kData, 4, 0x2);
  engine.mutex_unlock(a, kFlag, false, 0x3);
  finish_and_join(main_thread, a);
  engine.write(main_thread, kData, 4, 0x4);
  ThreadState* b = spawn();  // reuses a's slot
  engine.read(b, kData, 4, 0x5);
  EXPECT_EQ(races(), 0u);
  b->cell_base ^= 1;
  EXPECT_DEATH(
      engine.write(b, kData, 4, 0x6),
      "conc: verify: at write, thread T2 has a shadow cell base that does not match its slot and epoch");
}

TEST_F(ThreadTest, SlotReuseAfterJoinHasNoFalseRace) {
  ThreadState* a = spawn();
  const Slot slot = a->slot;
  engine.write(a, kData, 4, 1);
  finish_and_join(main_thread, a);
  engine.write(main_thread, kData + 8, 4, 3);
  ThreadState* b = spawn();
  EXPECT_EQ(b->slot, slot);
  engine.write(b, kData, 4, 2);
  engine.read(b, kData + 8, 4, 4);  // written by the parent before b was created
  EXPECT_EQ(races(), 0u);
}

TEST_F(ThreadTest, SlotReuseMissesNoRace) {
  ThreadState* a = spawn();
  ThreadState* other = spawn();  // never synchronizes with a
  const Slot slot = a->slot;
  const Tid a_tid = engine.tid(a);
  engine.write(a, kData, 4, 1);
  finish_and_join(main_thread, a);
  ThreadState* b = spawn();
  ASSERT_EQ(b->slot, slot);
  engine.write(b, kData + 8, 4, 2);
  // other knows neither a nor b: both accesses race, and each report names
  // the slot's occupant at the time of the access.
  engine.read(other, kData, 4, 3);
  engine.read(other, kData + 8, 4, 4);
  const auto reports = sink.reports();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].accesses[1].tid, a_tid);
  EXPECT_EQ(reports[1].accesses[1].tid, engine.tid(b));
}

TEST_F(ThreadTest, SlotIsNotReusedByACreatorThatDoesNotKnowTheOldOccupant) {
  ThreadState* a = spawn();
  ThreadState* joiner = spawn();
  const Slot slot = a->slot;
  engine.write(a, kData, 4, 1);
  finish_and_join(joiner, a);  // main never learns what a did
  ThreadState* b = spawn(main_thread);
  EXPECT_NE(b->slot, slot);
  engine.read(b, kData, 4, 2);
  EXPECT_EQ(races(), 1u);
  ThreadState* c = spawn(joiner);  // joiner knows a: reuse is sound
  EXPECT_EQ(c->slot, slot);
  engine.read(c, kData, 4, 3);
  EXPECT_EQ(races(), 1u);
}

TEST_F(ThreadTest, DetachBeforeFinishFreesSlotAtFinish) {
  ThreadState* a = spawn();
  const Slot slot = a->slot;
  engine.thread_detach(a);
  engine.write(a, kData, 4, 1);
  engine.release(a, kFlag);  // e.g. signals completion, then exits
  engine.thread_finish(a);
  engine.acquire(main_thread, kFlag);
  ThreadState* b = spawn();
  EXPECT_EQ(b->slot, slot);
  engine.write(b, kData, 4, 2);
  EXPECT_EQ(races(), 0u);
}

TEST_F(ThreadTest, DetachAfterFinishFreesSlot) {
  ThreadState* a = spawn();
  const Slot slot = a->slot;
  engine.write(a, kData, 4, 1);
  engine.release(a, kFlag);
  engine.thread_finish(a);
  engine.thread_detach(a);
  engine.acquire(main_thread, kFlag);
  ThreadState* b = spawn();
  EXPECT_EQ(b->slot, slot);
}

TEST_F(ThreadTest, UnobservedDetachedThreadStillRaces) {
  ThreadState* a = spawn();
  engine.thread_detach(a);
  engine.write(a, kData, 4, 1);
  engine.thread_finish(a);
  ThreadState* b = spawn();
  engine.read(b, kData, 4, 2);
  ASSERT_EQ(races(), 1u);
}

TEST_F(ThreadTest, ManyShortThreadsKeepSlotsFew) {
  for (int i = 0; i < 1000; ++i) {
    ThreadState* t = spawn();
    engine.write(t, kData, 8, 1);
    finish_and_join(main_thread, t);
  }
  EXPECT_EQ(races(), 0u);
  ThreadState* t = spawn();
  EXPECT_LE(t->slot, 2u);
}

TEST_F(ThreadTest, ManyUnobservedDetachedThreadsStayBounded) {
  // Nobody learns when these finish: fresh slots up to the soft limit, then
  // reuse that inherits the old occupant's clock (no false reports).
  for (int i = 0; i < 600; ++i) {
    ThreadState* t = spawn();
    engine.thread_detach(t);
    engine.write(t, kData + 8 * static_cast<uintptr_t>(i % 4), 8, 1);
    engine.thread_finish(t);
  }
  ThreadState* t = spawn();
  EXPECT_LT(t->slot, ThreadRegistry::kSoftSlots + 1);
}

TEST_F(ThreadTest, SaturatedEpochsNeitherWrapNorGetReused) {
  ThreadState* a = spawn();
  const Slot slot = a->slot;
  a->clock.set(slot, ThreadState::kMaxEpoch - 1);  // as if after 2^32 releases
  a->tick();
  EXPECT_EQ(a->epoch(), ThreadState::kMaxEpoch);
  engine.release(a, kFlag);
  EXPECT_EQ(a->epoch(), ThreadState::kMaxEpoch);
  engine.write(a, kData, 4, 1);
  ThreadState* b = spawn();
  engine.read(b, kData, 4, 2);
  EXPECT_EQ(races(), 1u);
  finish_and_join(main_thread, a);
  EXPECT_NE(spawn()->slot, slot);
}

}  // namespace
}  // namespace conc::engine::test
