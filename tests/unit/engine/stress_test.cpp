// Real OS threads driving one engine concurrently: lock-protected, disjoint,
// atomic-published and heap-recycled data must raise no report; a real race
// must still be found.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/thread.h"
#include "test_support.h"

namespace conc::engine::test {
namespace {

using StressTest = EngineTest;

constexpr int kThreads = 8;
constexpr int kIterations = 2000;

// Runs body(i, state) on kThreads OS threads, each with its own engine
// thread created by main and joined afterwards.
template <typename Body>
void run_threads(Engine& engine, ThreadState* main_thread, Body body) {
  std::vector<ThreadState*> states;
  states.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) states.push_back(engine.thread_create(main_thread, 0x7000 + i));
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      engine.thread_start(states[i]);
      engine.func_entry(states[i], 0x8000);
      body(i, states[i]);
      engine.func_exit(states[i]);
      engine.thread_finish(states[i]);
    });
  }
  for (int i = 0; i < kThreads; ++i) {
    threads[i].join();
    engine.thread_join(main_thread, states[i]);
  }
}

TEST_F(StressTest, SynchronizedWorkloadHasNoFalseReports) {
  std::mutex real_lock;  // makes the traced lock really exclusive
  const uintptr_t lock = 0x9000;
  const uintptr_t shared = 0x10000;  // one granule shared by all, under the lock
  std::atomic<int> published{0};
  run_threads(engine, main_thread, [&](int i, ThreadState* t) {
    const uintptr_t own = 0x1000000 + static_cast<uintptr_t>(i) * 0x10000;
    for (int n = 0; n < kIterations; ++n) {
      // Disjoint data, with neighbours in adjacent granules and bytes.
      engine.write(t, own + static_cast<uintptr_t>(n % 512) * 8, 8, 1);
      engine.read(t, own + static_cast<uintptr_t>(n % 512) * 8 + 2, 2, 2);
      engine.write(t, 0x20000 + static_cast<uintptr_t>(i), 1, 3);  // own byte of a shared granule
      {
        std::lock_guard<std::mutex> guard(real_lock);
        engine.mutex_lock(t, lock, {}, 4);
        engine.read(t, shared + static_cast<uintptr_t>(n % 4) * 2, 2, 5);
        engine.write(t, shared, 8, 6);
        engine.mutex_unlock(t, lock, false, 7);
      }
      // Atomics on one counter never race with each other.
      engine.atomic(t, 0x30000, 4, AtomicKind::ReadModifyWrite, MemoryOrder::Relaxed, 8,
                    [&] { return published.fetch_add(1, std::memory_order_relaxed); });
      // Private heap blocks recycled at shared addresses by the allocator.
      const uintptr_t block = 0x40000 + static_cast<uintptr_t>(n % 16) * 64;
      std::lock_guard<std::mutex> guard(real_lock);  // the allocator hands a block to one thread at a time
      engine.alloc(t, block, 64, 9);
      engine.write(t, block, 64, 10);
      engine.free(t, block, 11);
    }
  });
  engine.read(main_thread, 0x10000, 8, 12);  // after the joins
  EXPECT_EQ(sink.reports().size(), 0u);
}

// Sync objects recycled by frees on one thread while others look theirs up
// (same page, so same shard and free list; cache slots shared by hash).
TEST_F(StressTest, RecycledSyncObjectsUnderConcurrency) {
  std::atomic<int> counter{0};
  run_threads(engine, main_thread, [&](int i, ThreadState* t) {
    const uintptr_t block = 0x70000 + static_cast<uintptr_t>(i) * 64;
    for (int n = 0; n < kIterations; ++n) {
      engine.alloc(t, block, 64, 1);
      engine.write(t, block + 32, 8, 2);
      engine.mutex_lock(t, block, {}, 3);
      engine.release(t, block + 8);
      engine.mutex_unlock(t, block, false, 4);
      engine.acquire(t, block + 8);
      engine.atomic(t, 0x78000, 4, AtomicKind::ReadModifyWrite, MemoryOrder::AcqRel, 5,
                    [&] { return counter.fetch_add(1, std::memory_order_acq_rel); });
      engine.free(t, block, 6);
    }
  });
  EXPECT_EQ(sink.reports().size(), 0u);
  EXPECT_EQ(counter.load(), kThreads * kIterations);
}

TEST_F(StressTest, ReleaseAcquireHandoffUnderConcurrency) {
  std::atomic<int> ready[kThreads] = {};
  run_threads(engine, main_thread, [&](int i, ThreadState* t) {
    // Thread i publishes its slot of data to thread (i + 1) % kThreads.
    const uintptr_t mine = 0x50000 + static_cast<uintptr_t>(i) * 64;
    engine.write(t, mine, 64, 1);
    engine.atomic(t, 0x60000 + static_cast<uintptr_t>(i) * 8, 4, AtomicKind::Store, MemoryOrder::Release, 2,
                  [&] {
                    ready[i].store(1, std::memory_order_release);
                    return 0;
                  });
    const int from = (i + kThreads - 1) % kThreads;
    while (!engine.atomic(t, 0x60000 + static_cast<uintptr_t>(from) * 8, 4, AtomicKind::Load,
                          MemoryOrder::Acquire, 3,
                          [&] { return ready[from].load(std::memory_order_acquire); })) {
      std::this_thread::yield();
    }
    engine.read(t, 0x50000 + static_cast<uintptr_t>(from) * 64, 64, 4);
  });
  EXPECT_EQ(sink.reports().size(), 0u);
}

TEST_F(StressTest, RealRaceIsFoundUnderConcurrency) {
  run_threads(engine, main_thread, [&](int, ThreadState* t) {
    for (int n = 0; n < 200; ++n) engine.write(t, 0x70000, 4, 1);
  });
  EXPECT_GE(races(), 1u);
}

// Shadow updates take no lock: of two unordered writes to one granule at the
// same moment, at least one must still see the other (each stores its cell
// with a full fence before it reads the other cells again).
TEST_F(StressTest, SimultaneousWritesSeeEachOther) {
  constexpr int kRounds = 1000;
  ThreadState* states[2] = {engine.thread_create(main_thread, 0x7000),
                            engine.thread_create(main_thread, 0x7001)};
  std::atomic<int> arrived{0};
  std::vector<std::thread> threads;
  threads.reserve(2);
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      engine.thread_start(states[i]);
      for (int round = 0; round < kRounds; ++round) {
        // Both threads leave this barrier together, then write a fresh granule.
        arrived.fetch_add(1);
        while (arrived.load() < 2 * (round + 1)) {
        }
        engine.write(states[i], 0x80000 + static_cast<uintptr_t>(round) * 8, 8, 0x100 + round);
      }
      engine.thread_finish(states[i]);
    });
  }
  for (int i = 0; i < 2; ++i) {
    threads[i].join();
    engine.thread_join(main_thread, states[i]);
  }
  EXPECT_EQ(races(), static_cast<size_t>(kRounds));
}

TEST_F(StressTest, ConcurrentLockOrderInversion) {
  std::mutex a, b;
  run_threads(engine, main_thread, [&](int i, ThreadState* t) {
    std::mutex& first = i % 2 ? a : b;
    std::mutex& second = i % 2 ? b : a;
    // Really taken in a consistent order (scoped_lock), traced as an inversion.
    std::scoped_lock both(a, b);
    engine.mutex_lock(t, reinterpret_cast<uintptr_t>(&first), {}, 1);
    engine.mutex_lock(t, reinterpret_cast<uintptr_t>(&second), {}, 2);
    engine.mutex_unlock(t, reinterpret_cast<uintptr_t>(&second), false, 3);
    engine.mutex_unlock(t, reinterpret_cast<uintptr_t>(&first), false, 4);
  });
  EXPECT_EQ(cycles(), 1u);
}

TEST_F(StressTest, DetachRacesWithFinish) {
  // The creator detaches while the threads finish: exactly one side frees
  // each slot, and the slots get reused.
  for (int round = 0; round < 20; ++round) {
    std::vector<ThreadState*> states;
    states.reserve(kThreads);
    for (int i = 0; i < kThreads; ++i) states.push_back(engine.thread_create(main_thread, 1));
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        engine.thread_start(states[i]);
        engine.write(states[i], 0x80000 + static_cast<uintptr_t>(i) * 8, 8, 2);
        engine.release(states[i], 0x90000);
        engine.thread_finish(states[i]);
      });
    }
    for (ThreadState* t : states) engine.thread_detach(t);
    for (std::thread& t : threads) t.join();
    engine.acquire(main_thread, 0x90000);  // the completion signal of every thread
  }
  EXPECT_EQ(sink.reports().size(), 0u);
  ThreadState* t = engine.thread_create(main_thread, 3);
  EXPECT_LE(t->slot, static_cast<Slot>(kThreads));  // slots were reused, round after round
}

}  // namespace
}  // namespace conc::engine::test
