// Plain-access race detection: conflicts, orderings, sizes, stacks, dedupe.
#include "test_support.h"

namespace conc::engine::test {
namespace {

using RaceTest = EngineTest;

TEST_F(RaceTest, WriteWriteIsReportedWithStacksAndThreads) {
  engine.func_entry(main_thread, 0xF00);
  ThreadState* a = spawn(main_thread, 0xC1);
  ThreadState* b = spawn(main_thread, 0xC2);
  engine.func_entry(a, 0xA0);
  engine.write(a, kData, 4, 0xA1);
  engine.func_entry(b, 0xB0);
  engine.func_entry(b, 0xB00);
  engine.write(b, kData, 4, 0xB1);

  ASSERT_EQ(races(), 1u);
  const Report r = sink.reports()[0];
  ASSERT_EQ(r.accesses.size(), 2u);
  EXPECT_EQ(r.accesses[0].tid, engine.tid(b));
  EXPECT_TRUE(r.accesses[0].write);
  EXPECT_EQ(r.accesses[0].addr, kData);
  EXPECT_EQ(r.accesses[0].size, 4u);
  EXPECT_EQ(r.accesses[0].stack, (Stack{0xB1, 0xB00, 0xB0}));
  EXPECT_EQ(r.accesses[1].tid, engine.tid(a));
  EXPECT_TRUE(r.accesses[1].write);
  EXPECT_EQ(r.accesses[1].addr, kData);
  EXPECT_EQ(r.accesses[1].size, 4u);
  EXPECT_EQ(r.accesses[1].stack, (Stack{0xA1, 0xA0}));
  EXPECT_FALSE(r.has_heap_block);
  const ThreadInfo* ta = thread_info(r, engine.tid(a));
  const ThreadInfo* tb = thread_info(r, engine.tid(b));
  ASSERT_TRUE(ta && tb);
  EXPECT_EQ(ta->parent, engine.tid(main_thread));
  EXPECT_EQ(ta->created_at, (Stack{0xC1, 0xF00}));
  EXPECT_EQ(tb->created_at, (Stack{0xC2, 0xF00}));
}

TEST_F(RaceTest, ReadWriteRacesButReadReadDoesNot) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.read(a, kData, 8, 1);
  engine.read(b, kData, 8, 2);
  EXPECT_EQ(races(), 0u);
  engine.write(b, kData, 8, 3);
  ASSERT_EQ(races(), 1u);
  EXPECT_FALSE(sink.reports()[0].accesses[1].write);
}

TEST_F(RaceTest, MutexOrdersCriticalSections) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  const uintptr_t mu = 0x5000;
  engine.mutex_lock(a, mu, {}, 1);
  engine.write(a, kData, 4, 2);
  engine.mutex_unlock(a, mu, false, 3);
  engine.mutex_lock(b, mu, {}, 4);
  engine.write(b, kData, 4, 5);
  engine.read(b, kData, 4, 6);
  engine.mutex_unlock(b, mu, false, 7);
  EXPECT_EQ(races(), 0u);
  engine.write(a, kData, 4, 8);  // outside the lock
  EXPECT_EQ(races(), 1u);
}

TEST_F(RaceTest, SharedUnlockOrdersReadsBeforeNextWriter) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  ThreadState* w = spawn();
  const uintptr_t rw = 0x5000;
  engine.mutex_lock(a, rw, {.shared = true}, 1);
  engine.read(a, kData, 4, 2);
  engine.mutex_unlock(a, rw, true, 3);
  engine.mutex_lock(b, rw, {.shared = true}, 4);
  engine.read(b, kData, 4, 5);
  engine.mutex_unlock(b, rw, true, 6);
  engine.mutex_lock(w, rw, {}, 7);
  engine.write(w, kData, 4, 8);
  engine.mutex_unlock(w, rw, false, 9);
  EXPECT_EQ(races(), 0u);
}

TEST_F(RaceTest, ReadersDoNotOrderEachOther) {
  // Writing under a shared lock is a bug: the readers are not ordered.
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  const uintptr_t rw = 0x5000;
  engine.mutex_lock(a, rw, {.shared = true}, 1);
  engine.write(a, kData, 4, 2);
  engine.mutex_unlock(a, rw, true, 3);
  engine.mutex_lock(b, rw, {.shared = true}, 4);
  engine.write(b, kData, 4, 5);
  engine.mutex_unlock(b, rw, true, 6);
  EXPECT_EQ(races(), 1u);
}

TEST_F(RaceTest, CreateAndJoinOrder) {
  engine.write(main_thread, kData, 4, 1);
  ThreadState* a = spawn();
  engine.write(a, kData, 4, 2);
  finish_and_join(main_thread, a);
  engine.write(main_thread, kData, 4, 3);
  EXPECT_EQ(races(), 0u);
}

TEST_F(RaceTest, ParentAfterCreateRacesWithChild) {
  ThreadState* a = spawn();
  engine.write(a, kData, 4, 1);
  engine.read(main_thread, kData, 4, 2);
  EXPECT_EQ(races(), 1u);
}

TEST_F(RaceTest, AnnotationReleaseAcquire) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.write(a, kData, 4, 1);
  engine.release(a, kFlag);
  engine.acquire(b, kFlag);
  engine.write(b, kData, 4, 2);
  EXPECT_EQ(races(), 0u);
  engine.write(a, kData, 4, 3);  // after the release: unordered with b
  EXPECT_EQ(races(), 1u);
}

TEST_F(RaceTest, MixedSizesAreByteExact) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  ThreadState* c = spawn();
  engine.write(a, kData + 4, 1, 1);
  engine.read(b, kData, 4, 2);
  EXPECT_EQ(races(), 0u);
  engine.write(c, kData + 3, 1, 3);
  ASSERT_EQ(races(), 1u);
  const Report r = sink.reports()[0];
  EXPECT_EQ(r.accesses[0].addr, kData + 3);
  EXPECT_EQ(r.accesses[0].size, 1u);
  EXPECT_EQ(r.accesses[1].tid, engine.tid(b));
  EXPECT_EQ(r.accesses[1].addr, kData);
  EXPECT_EQ(r.accesses[1].size, 4u);
}

TEST_F(RaceTest, AccessStraddlingGranules) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.write(a, kData + 4, 8, 1);  // bytes 4..11: two granules
  engine.read(b, kData + 12, 4, 2);
  engine.read(b, kData, 4, 3);
  EXPECT_EQ(races(), 0u);
  engine.read(b, kData + 9, 1, 4);
  EXPECT_EQ(races(), 1u);
  engine.write(b, kData + 6, 16, 5);  // unaligned, three granules: one report per access
  EXPECT_EQ(races(), 2u);
}

TEST_F(RaceTest, LargeRangeAccess) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.write(a, kData, 4096, 1);  // memset-like
  engine.read(b, kData + 4000, 3, 2);
  EXPECT_EQ(races(), 1u);
}

TEST_F(RaceTest, SamePairReportedOnce) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  for (int i = 0; i < 10; ++i) {
    engine.write(a, kData, 4, 1);
    engine.write(b, kData, 4, 2);
  }
  EXPECT_EQ(races(), 1u);
  engine.release(b, kFlag);      // a new epoch, so the access is checked again
  engine.write(b, kData, 4, 3);  // a new pc pair
  EXPECT_EQ(races(), 2u);
}

TEST_F(RaceTest, IgnoredAccesses) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.ignore_begin(a);
  engine.ignore_begin(a);
  engine.write(a, kData, 4, 1);
  engine.ignore_end(a);
  engine.write(a, kData, 4, 2);
  engine.ignore_end(a);
  engine.write(b, kData, 4, 3);
  EXPECT_EQ(races(), 0u);
  engine.write(a, kData, 4, 4);
  EXPECT_EQ(races(), 1u);
}

TEST_F(RaceTest, ManyThreadsOnOneGranuleEvictGracefully) {
  // More unordered readers than cells: reads are evicted, never invented.
  std::vector<ThreadState*> readers;
  for (int i = 0; i < 10; ++i) {
    readers.push_back(spawn());
    engine.read(readers.back(), kData, 8, 100 + i);
  }
  EXPECT_EQ(races(), 0u);
  ThreadState* w = spawn();
  engine.write(w, kData, 8, 1);
  EXPECT_EQ(races(), 1u);
}

TEST_F(RaceTest, UnbalancedCallStacksDoNotCrash) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  for (Pc pc = 1; pc <= 1000; ++pc) engine.func_entry(a, pc);
  engine.write(a, kData, 4, 0xA);
  for (int i = 0; i < 2000; ++i) engine.func_exit(a);  // more exits than entries
  engine.func_entry(a, 0xE);
  engine.write(b, kData, 4, 0xB);
  ASSERT_EQ(races(), 1u);
  const Stack earlier = sink.reports()[0].accesses[1].stack;
  EXPECT_EQ(earlier.front(), 0xAu);
  EXPECT_LE(earlier.size(), 257u);
}

}  // namespace
}  // namespace conc::engine::test
