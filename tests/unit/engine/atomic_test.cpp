// Atomics and fences: happens-before by memory order, release sequences, and
// atomic accesses in shadow.
#include "test_support.h"

namespace conc::engine::test {
namespace {

class AtomicTest : public EngineTest {
 protected:
  void store(ThreadState* t, MemoryOrder mo, Pc pc = 0x51) {
    engine.atomic(t, kFlag, 4, AtomicKind::Store, mo, pc, [] { return 0; });
  }
  void load(ThreadState* t, MemoryOrder mo, Pc pc = 0x1d) {
    engine.atomic(t, kFlag, 4, AtomicKind::Load, mo, pc, [] { return 0; });
  }
  void rmw(ThreadState* t, MemoryOrder mo, Pc pc = 0x3a) {
    engine.atomic(t, kFlag, 4, AtomicKind::ReadModifyWrite, mo, pc, [] { return 0; });
  }
  // Writes data in `writer`, publishes with `publish`, observes with
  // `observe` in a reader, which then reads the data.
  template <typename Publish, typename Observe>
  size_t handoff(Publish publish, Observe observe) {
    ThreadState* writer = spawn();
    ThreadState* reader = spawn();
    engine.write(writer, kData, 8, 0xD1);
    publish(writer);
    observe(reader);
    engine.read(reader, kData, 8, 0xD2);
    return races();
  }
};

TEST_F(AtomicTest, ReleaseAcquireOrdersData) {
  EXPECT_EQ(handoff([&](ThreadState* t) { store(t, MemoryOrder::Release); },
                    [&](ThreadState* t) { load(t, MemoryOrder::Acquire); }),
            0u);
}

TEST_F(AtomicTest, SeqCstOrdersData) {
  EXPECT_EQ(handoff([&](ThreadState* t) { store(t, MemoryOrder::SeqCst); },
                    [&](ThreadState* t) { load(t, MemoryOrder::SeqCst); }),
            0u);
}

TEST_F(AtomicTest, ConsumeActsAsAcquire) {
  EXPECT_EQ(handoff([&](ThreadState* t) { rmw(t, MemoryOrder::AcqRel); },
                    [&](ThreadState* t) { load(t, MemoryOrder::Consume); }),
            0u);
}

// The first release store to a location creates its sync object. An acquire
// load looks for the object before it loads; when the store (and the
// object) come between the look-up and the load, the load still reads the
// stored value and must acquire its clock.
TEST_F(AtomicTest, AcquireLoadOfTheFirstReleaseStoreOrdersData) {
  ThreadState* writer = spawn();
  ThreadState* reader = spawn();
  engine.write(writer, kData, 8, 0xD1);
  engine.atomic(reader, kFlag, 4, AtomicKind::Load, MemoryOrder::Acquire, 0x1d, [&] {
    store(writer, MemoryOrder::Release);
    return 1;
  });
  engine.read(reader, kData, 8, 0xD2);
  EXPECT_EQ(races(), 0u);
}

TEST_F(AtomicTest, RelaxedFlagDoesNotOrderData) {
  EXPECT_EQ(handoff([&](ThreadState* t) { store(t, MemoryOrder::Relaxed); },
                    [&](ThreadState* t) { load(t, MemoryOrder::Relaxed); }),
            1u);
}

TEST_F(AtomicTest, ReleaseStoreWithRelaxedLoadRaces) {
  EXPECT_EQ(handoff([&](ThreadState* t) { store(t, MemoryOrder::Release); },
                    [&](ThreadState* t) { load(t, MemoryOrder::Relaxed); }),
            1u);
}

TEST_F(AtomicTest, FencesOrderRelaxedAccesses) {
  EXPECT_EQ(handoff(
                [&](ThreadState* t) {
                  engine.fence(t, MemoryOrder::Release);
                  store(t, MemoryOrder::Relaxed);
                },
                [&](ThreadState* t) {
                  load(t, MemoryOrder::Relaxed);
                  engine.fence(t, MemoryOrder::Acquire);
                }),
            0u);
}

TEST_F(AtomicTest, ReleaseFenceWithoutAcquireFenceRaces) {
  EXPECT_EQ(handoff(
                [&](ThreadState* t) {
                  engine.fence(t, MemoryOrder::SeqCst);
                  store(t, MemoryOrder::Relaxed);
                },
                [&](ThreadState* t) { load(t, MemoryOrder::Relaxed); }),
            1u);
}

TEST_F(AtomicTest, AcquireFenceBeforeTheLoadDoesNotHelp) {
  EXPECT_EQ(handoff([&](ThreadState* t) { store(t, MemoryOrder::Release); },
                    [&](ThreadState* t) {
                      engine.fence(t, MemoryOrder::Acquire);
                      load(t, MemoryOrder::Relaxed);
                    }),
            1u);
}

TEST_F(AtomicTest, ReleaseFenceCoversOnlyEarlierAccesses) {
  ThreadState* writer = spawn();
  ThreadState* reader = spawn();
  engine.fence(writer, MemoryOrder::Release);
  engine.write(writer, kData, 8, 0xD1);  // after the fence
  store(writer, MemoryOrder::Relaxed);
  load(reader, MemoryOrder::Relaxed);
  engine.fence(reader, MemoryOrder::Acquire);
  engine.read(reader, kData, 8, 0xD2);
  EXPECT_EQ(races(), 1u);
}

TEST_F(AtomicTest, RelaxedStoreEndsReleaseSequence) {
  ThreadState* other = spawn();
  EXPECT_EQ(handoff(
                [&](ThreadState* t) {
                  store(t, MemoryOrder::Release);
                  store(other, MemoryOrder::Relaxed);  // the reader reads this value
                },
                [&](ThreadState* t) { load(t, MemoryOrder::Acquire); }),
            1u);
}

TEST_F(AtomicTest, RelaxedRmwContinuesReleaseSequence) {
  ThreadState* other = spawn();
  EXPECT_EQ(handoff(
                [&](ThreadState* t) {
                  store(t, MemoryOrder::Release);
                  rmw(other, MemoryOrder::Relaxed);
                },
                [&](ThreadState* t) { load(t, MemoryOrder::Acquire); }),
            0u);
}

TEST_F(AtomicTest, ReleaseStoreReplacesLocationClock) {
  // The second release store does not carry the first writer's clock.
  ThreadState* first = spawn();
  ThreadState* second = spawn();
  ThreadState* reader = spawn();
  engine.write(first, kData, 8, 0xD1);
  store(first, MemoryOrder::Release);
  store(second, MemoryOrder::Release);
  load(reader, MemoryOrder::Acquire);
  engine.read(reader, kData, 8, 0xD2);
  EXPECT_EQ(races(), 1u);
}

TEST_F(AtomicTest, AtomicsDoNotRaceWithEachOther) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  store(a, MemoryOrder::Relaxed);
  rmw(b, MemoryOrder::Relaxed);
  load(a, MemoryOrder::Relaxed);
  EXPECT_EQ(races(), 0u);
}

TEST_F(AtomicTest, PlainAccessRacesWithAtomic) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  store(a, MemoryOrder::SeqCst, 0xA7);
  engine.read(b, kFlag, 4, 0xB7);
  ASSERT_EQ(races(), 1u);
  const Report r = sink.reports()[0];
  EXPECT_FALSE(r.accesses[0].atomic);
  EXPECT_TRUE(r.accesses[1].atomic);
  EXPECT_TRUE(r.accesses[1].write);
  EXPECT_EQ(r.accesses[1].stack, Stack{0xA7});
}

TEST_F(AtomicTest, AtomicRacesWithEarlierPlainWrite) {
  ThreadState* a = spawn();
  ThreadState* b = spawn();
  engine.write(a, kFlag, 4, 0xA7);
  load(b, MemoryOrder::Acquire, 0xB7);
  ASSERT_EQ(races(), 1u);
  EXPECT_TRUE(sink.reports()[0].accesses[0].atomic);
}

TEST_F(AtomicTest, AtomicReturnsTheOperationResult) {
  int value = 41;
  const int old = engine.atomic(main_thread, reinterpret_cast<uintptr_t>(&value), sizeof value,
                                AtomicKind::ReadModifyWrite, MemoryOrder::SeqCst, 1, [&] { return value++; });
  EXPECT_EQ(old, 41);
  EXPECT_EQ(value, 42);
}

TEST_F(AtomicTest, FailedCompareExchangeUsesFailureOrder) {
  auto cas_fails_with = [&](MemoryOrder failure) {
    return handoff([&](ThreadState* t) { store(t, MemoryOrder::Release); },
                   [&](ThreadState* t) {
                     EXPECT_FALSE(engine.atomic_compare_exchange(t, kFlag, 4, MemoryOrder::AcqRel, failure,
                                                                 0xCA, [] { return false; }));
                   });
  };
  EXPECT_EQ(cas_fails_with(MemoryOrder::Relaxed), 1u);
}

TEST_F(AtomicTest, FailedCompareExchangeWithAcquireSynchronizes) {
  EXPECT_EQ(handoff([&](ThreadState* t) { store(t, MemoryOrder::Release); },
                    [&](ThreadState* t) {
                      engine.atomic_compare_exchange(t, kFlag, 4, MemoryOrder::Relaxed, MemoryOrder::Acquire,
                                                     0xCA, [] { return false; });
                    }),
            0u);
}

TEST_F(AtomicTest, SucceededCompareExchangeReleases) {
  EXPECT_EQ(handoff(
                [&](ThreadState* t) {
                  EXPECT_TRUE(engine.atomic_compare_exchange(
                      t, kFlag, 4, MemoryOrder::Release, MemoryOrder::Relaxed, 0xCA, [] { return true; }));
                },
                [&](ThreadState* t) { load(t, MemoryOrder::Acquire); }),
            0u);
}

}  // namespace
}  // namespace conc::engine::test
