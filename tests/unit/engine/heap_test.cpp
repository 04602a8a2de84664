// Heap blocks: shadow reset on alloc/free, block info in reports, sync
// objects forgotten with their memory.
#include "test_support.h"

namespace conc::engine::test {
namespace {

using HeapTest = EngineTest;
constexpr uintptr_t kBlock = 0x300000;

TEST_F(HeapTest, ReallocatedMemoryRaisesNoFalseRace) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.alloc(a, kBlock, 32, 1);
  engine.write(a, kBlock, 32, 2);
  engine.free(a, kBlock, 3);
  engine.alloc(b, kBlock, 32, 4);  // the allocator hands the same memory to b
  engine.write(b, kBlock + 8, 8, 5);
  engine.read(b, kBlock, 32, 6);
  EXPECT_EQ(races(), 0u);
}

TEST_F(HeapTest, ReportNamesTheHeapBlock) {
  engine.func_entry(main_thread, 0xF0);
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.func_entry(a, 0xA0);
  engine.alloc(a, kBlock, 64, 0xA110C);
  engine.write(a, kBlock + 8, 4, 1);
  engine.write(b, kBlock + 10, 2, 2);
  ASSERT_EQ(races(), 1u);
  const Report r = sink.reports()[0];
  ASSERT_TRUE(r.has_heap_block);
  EXPECT_EQ(r.heap_block.addr, kBlock);
  EXPECT_EQ(r.heap_block.size, 64u);
  EXPECT_EQ(r.heap_block.tid, engine.tid(a));
  EXPECT_EQ(r.heap_block.allocated_at, (Stack{0xA110C, 0xA0}));
  EXPECT_NE(thread_info(r, engine.tid(a)), nullptr);
}

TEST_F(HeapTest, NoHeapBlockAfterFree) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.alloc(a, kBlock, 64, 1);
  engine.free(a, kBlock, 2);
  engine.write(a, kBlock, 4, 3);
  engine.write(b, kBlock, 4, 4);
  ASSERT_EQ(races(), 1u);
  EXPECT_FALSE(sink.reports()[0].has_heap_block);
}

TEST_F(HeapTest, LargeBlocksAreFoundAndReset) {
  constexpr size_t kSize = 8 << 20;  // resets by madvise, spans shadow chunks
  const uintptr_t base = 0x7f0000f00000;
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.alloc(a, base, kSize, 1);
  for (size_t off = 0; off < kSize; off += 4096) engine.write(a, base + off, 8, 2);
  engine.write(b, base + kSize - 4096, 1, 3);
  ASSERT_EQ(races(), 1u);
  EXPECT_TRUE(sink.reports()[0].has_heap_block);
  EXPECT_EQ(sink.reports()[0].heap_block.size, kSize);
  engine.free(a, base, 4);
  engine.alloc(b, base, kSize, 5);
  for (size_t off = 0; off < kSize; off += 4096) engine.write(b, base + off, 8, 6);
  EXPECT_EQ(races(), 1u);
}

TEST_F(HeapTest, ResetIsExactForPartialGranules) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.write(a, kBlock + 8, 8, 1);  // bytes 8..15; the block below covers 8..11
  engine.alloc(b, kBlock, 12, 2);
  engine.write(b, kBlock + 8, 4, 3);
  EXPECT_EQ(races(), 0u);
  engine.write(b, kBlock + 12, 4, 4);
  EXPECT_EQ(races(), 1u);
}

TEST_F(HeapTest, FreeForgetsSyncObjects) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.alloc(a, kBlock, 64, 1);
  engine.write(a, kData, 4, 2);
  engine.release(a, kBlock + 16);
  engine.free(a, kBlock, 3);
  engine.acquire(b, kBlock + 16);  // a new object at that address: no order
  engine.read(b, kData, 4, 4);
  EXPECT_EQ(races(), 1u);
}

TEST_F(HeapTest, RecycledSyncObjectsStartEmpty) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  ThreadState* c = spawn();
  engine.alloc(a, kBlock, 64, 1);
  engine.write(a, kData, 4, 2);
  engine.release(a, kBlock + 16);
  engine.free(a, kBlock, 3);
  engine.release(b, kBlock + 32);  // may reuse the forgotten object for a new address
  engine.acquire(c, kBlock + 32);  // orders c after b only
  engine.acquire(c, kBlock + 16);  // forgotten: nothing to acquire
  engine.read(c, kData, 4, 4);
  EXPECT_EQ(races(), 1u);
}

TEST_F(HeapTest, ForgetMemoryResetsWithoutMakingAHeapBlock) {
  // E.g. a finished detached thread's stack reused for a new thread.
  const uintptr_t stack = 0x7f0000010000;
  ThreadState* a = spawn();
  engine.thread_detach(a);
  engine.write(a, stack + 0x100, 8, 1);
  engine.mutex_lock(a, stack + 0x200, {}, 2);
  engine.mutex_lock(a, kData, {}, 3);
  engine.mutex_unlock(a, kData, false, 4);
  engine.mutex_unlock(a, stack + 0x200, false, 5);
  engine.thread_finish(a);
  engine.forget_memory(stack, 0x1000);
  ThreadState* b = spawn();
  engine.write(b, stack + 0x100, 8, 6);
  engine.mutex_lock(b, kData, {}, 7);
  engine.mutex_lock(b, stack + 0x200, {}, 8);  // a new mutex: no inversion with a's
  EXPECT_EQ(sink.reports().size(), 0u);
  engine.write(spawn(), stack + 0x100, 8, 9);  // unordered with b: still a race
  ASSERT_EQ(races(), 1u);
  EXPECT_FALSE(sink.reports()[0].has_heap_block);
}

}  // namespace
}  // namespace conc::engine::test
