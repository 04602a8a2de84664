// Earlier-access stacks rebuilt from the event traces: across trace parts,
// for a thread that has exited, after the ring overwrote the access, and
// while the traced thread keeps appending.
#include <atomic>
#include <thread>

#include "engine/trace.h"
#include "test_support.h"

namespace conc::engine::test {
namespace {

using TraceTest = EngineTest;

// Enough calls to fill several trace parts.
void many_calls(Engine& engine, ThreadState* t, int count) {
  for (int i = 0; i < count; ++i) {
    engine.func_entry(t, 0xCA11);
    engine.func_exit(t);
  }
}

TEST_F(TraceTest, EarlierStackIsRebuiltAcrossPartsForAnExitedThread) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.func_entry(a, 0xA0);
  engine.func_entry(a, 0xA1);
  many_calls(engine, a, 3000);  // the access lands in a later part than the calls above
  engine.write(a, kData, 4, 0xA2);
  engine.func_exit(a);
  engine.func_entry(a, 0xA3);
  engine.read(a, kData + 8, 2, 0xA4);
  many_calls(engine, a, 3000);  // and the trace goes on after it
  engine.func_exit(a);
  engine.func_exit(a);
  engine.thread_detach(a);
  engine.thread_finish(a);  // the state is gone; its slot's trace stays

  engine.write(b, kData, 4, 0xB1);
  engine.write(b, kData + 8, 8, 0xB2);
  const auto reports = sink.reports();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].accesses[1].stack, (Stack{0xA2, 0xA1, 0xA0}));
  EXPECT_EQ(reports[1].accesses[1].stack, (Stack{0xA4, 0xA3, 0xA0}));
  EXPECT_FALSE(reports[1].accesses[1].write);
  EXPECT_EQ(reports[1].accesses[1].size, 2u);
}

TEST_F(TraceTest, OverwrittenAccessIsReportedWithoutItsStack) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.func_entry(a, 0xA0);
  engine.write(a, kData, 4, 0xA1);  // its epoch ends at the release below
  engine.release(a, 0x9000);
  engine.write(a, kFlag, 4, 0xA2);  // same epoch as the accesses that follow
  // Far more stored accesses than the ring holds.
  for (uintptr_t i = 0; i < 20 * Trace::kPartWords; ++i) engine.write(a, 0x4000000 + i * 8, 8, 0xA4);

  engine.write(b, kData, 4, 0xB1);
  engine.write(b, kFlag, 4, 0xB2);
  engine.write(b, 0x4000000, 8, 0xB1);  // no stack again, at a pc already reported: dropped
  const auto reports = sink.reports();
  ASSERT_EQ(reports.size(), 2u);
  for (const Report& r : reports) {
    EXPECT_EQ(r.accesses[1].tid, engine.tid(a));
    EXPECT_TRUE(r.accesses[1].stack.empty());
  }
  EXPECT_EQ(reports[1].accesses[1].addr, kFlag);
}

// The replaying thread reads the other's trace while it is appended to and
// its parts are recycled (engine_test_tsan checks the protocol).
TEST_F(TraceTest, ReplayWhileTheTracedThreadAppends) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  constexpr int kRounds = 20000;
  constexpr uintptr_t kShared = 0x300000;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    engine.func_entry(a, 0xA0);
    for (int n = 0; n < kRounds; ++n) {
      engine.func_entry(a, 0xA1);
      engine.write(a, 0x4000000 + static_cast<uintptr_t>(n % 4096) * 8, 8, 0xA2);
      engine.write(a, kShared + static_cast<uintptr_t>(n % 64) * 8, 8, 0xA3);
      engine.func_exit(a);
      if (n % 16 == 0) engine.release(a, 0x9000);  // new epochs
    }
    engine.func_exit(a);
    done.store(true);
  });
  size_t rebuilt = 0;
  for (int n = 0; !done.load() || n < 64; ++n) {
    engine.write(b, kShared + static_cast<uintptr_t>(n % 64) * 8, 8, 0xB1);
    engine.release(b, 0x9001);
  }
  writer.join();
  for (const Report& r : sink.reports()) {
    const Stack& earlier = r.accesses[1].stack;  // empty when the ring moved on
    if (earlier.empty()) continue;
    EXPECT_EQ(earlier, r.accesses[1].tid == engine.tid(a) ? (Stack{0xA3, 0xA1, 0xA0}) : Stack{0xB1});
    ++rebuilt;
  }
  EXPECT_GT(rebuilt, 0u);
}

}  // namespace
}  // namespace conc::engine::test
