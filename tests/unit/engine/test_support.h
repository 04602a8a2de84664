// Shared test fixture for the engine unit tests: a recording report sink and
// helpers that drive synthetic event traces through several ThreadStates.
#pragma once

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "engine/engine.h"

namespace conc::engine::test {

// Records every report; safe to call from many threads.
class RecordingSink : public ReportSink {
 public:
  void on_report(const Report& report) override;
  std::vector<Report> reports() const;
  size_t count(ReportKind kind) const;

 private:
  mutable std::mutex mu_;
  std::vector<Report> reports_;
};

class EngineTest : public ::testing::Test {
 protected:
  // Arbitrary application addresses: the engine never dereferences them.
  static constexpr uintptr_t kData = 0x100000;
  static constexpr uintptr_t kFlag = 0x200000;

  ThreadState* spawn(ThreadState* parent = nullptr, Pc pc = 0xC0DE);
  void finish_and_join(ThreadState* joiner, ThreadState* thread);
  size_t races() const { return sink.count(ReportKind::DataRace); }
  size_t cycles() const { return sink.count(ReportKind::LockOrderInversion); }
  const ThreadInfo* thread_info(const Report& report, Tid tid) const;

  RecordingSink sink;
  Engine engine{sink};
  ThreadState* main_thread = engine.thread_create(nullptr, 0);
};

}  // namespace conc::engine::test
