// The inlined fast paths (engine/fast_path.h): an access is skipped only when
// the engine would record nothing for it.
#include "engine/fast_path.h"

#include <vector>

#include "test_support.h"

namespace conc::engine::test {
namespace {

using FastPathTest = EngineTest;

// The definition Coverage implements with bit tricks.
bool covers_by_definition(uint64_t old, uint64_t cur) {
  return (old & cell::kSlotEpochBits) == (cur & cell::kSlotEpochBits) &&
         (cell::mask(cur) & ~cell::mask(old)) == 0 && (!(cur & cell::kWrite) || (old & cell::kWrite)) &&
         (!(old & cell::kAtomic) || (cur & cell::kAtomic));
}

TEST(CoverageTest, MatchesDefinition) {
  const uint64_t bases[] = {cell::base(1, 7), cell::base(2, 7), cell::base(1, 8)};
  const uint64_t kinds[] = {0, cell::kWrite, cell::kAtomic, cell::kWrite | cell::kAtomic};
  const uint64_t masks[] = {0x01, 0x0f, 0xf0, 0xff, 0x3c};
  for (uint64_t old_base : bases)
    for (uint64_t old_kind : kinds)
      for (uint64_t old_mask : masks)
        for (uint64_t cur_kind : kinds)
          for (uint64_t cur_mask : masks) {
            const uint64_t old = old_base | old_kind | old_mask, cur = bases[0] | cur_kind | cur_mask;
            EXPECT_EQ(Coverage(cur).by(old), covers_by_definition(old, cur)) << std::hex << old << " " << cur;
          }
}

TEST_F(FastPathTest, CoversOnlyWhatThisThreadRecordedAtThisEpoch) {
  ThreadState* a = spawn(main_thread);
  ThreadState* b = spawn(main_thread);
  EXPECT_FALSE(access_covered(*a, kData, 16, false));  // nothing recorded yet
  engine.write(a, kData, 16, 0xA1);
  EXPECT_TRUE(access_covered(*a, kData, 16, true));
  EXPECT_TRUE(access_covered(*a, kData + 8, 8, false));
  EXPECT_TRUE(access_covered(*a, kData + 3, 2, true));
  EXPECT_TRUE(access_covered(*a, kData + 5, 8, false));    // straddles both granules
  EXPECT_FALSE(access_covered(*a, kData + 12, 8, false));  // partly outside
  EXPECT_FALSE(access_covered(*b, kData, 4, false));       // another thread
  engine.release(a, kFlag);                                // a new epoch
  EXPECT_FALSE(access_covered(*a, kData, 4, false));
}

TEST_F(FastPathTest, ReadDoesNotCoverWriteAndAtomicDoesNotCoverPlain) {
  ThreadState* a = spawn(main_thread);
  engine.read(a, kData, 8, 0xA1);
  EXPECT_TRUE(access_covered(*a, kData, 8, false));
  EXPECT_FALSE(access_covered(*a, kData, 8, true));
  engine.atomic(a, kData + 8, 8, AtomicKind::ReadModifyWrite, MemoryOrder::Relaxed, 0xA2, [] { return 0; });
  EXPECT_FALSE(access_covered(*a, kData + 8, 8, false));
}

TEST_F(FastPathTest, EachThreadsCellIsStoredInItsHomePlane) {
  // Four read-shared readers after an ordered write: each reader's cell must
  // end up in its home plane (so its fast path reads one cell), whatever
  // order they come in; a later unordered write still races with them.
  engine.write(main_thread, kData, 8, 0x1);
  std::vector<ThreadState*> readers;
  readers.reserve(4);
  for (int i = 0; i < 4; ++i) readers.push_back(spawn(main_thread));
  ThreadState* late_writer = spawn();  // unordered with everyone
  for (int i = 3; i >= 0; --i) engine.read(readers[i], kData, 8, 0x10 + i);
  const Shadow::Chunk* chunk = main_thread->shadow[kData >> Shadow::kChunkShift].load();
  ASSERT_NE(chunk, nullptr);
  const size_t index = (kData >> 3) & (Shadow::kGranulesPerChunk - 1);
  for (ThreadState* reader : readers) {
    EXPECT_EQ(chunk->cells[Shadow::home_plane(reader->cell_base)][index].load(), reader->cell_base | 0xff);
    EXPECT_TRUE(access_covered(*reader, kData, 8, false));
  }
  EXPECT_EQ(races(), 0u);
  engine.write(late_writer, kData, 8, 0x2);
  EXPECT_EQ(races(), 1u);
}

TEST_F(FastPathTest, UntrackedAddressesAreNeverCovered) {
  EXPECT_FALSE(access_covered(*main_thread, uintptr_t{1} << 48, 4, false));
  EXPECT_FALSE(access_covered(*main_thread, ~uintptr_t{0} - 2, 8, false));  // wraps around
  EXPECT_FALSE(access_covered(*main_thread, kData, 0, false));
}

}  // namespace
}  // namespace conc::engine::test
