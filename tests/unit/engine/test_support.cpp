#include "test_support.h"

namespace conc::engine::test {

void RecordingSink::on_report(const Report& report) {
  std::lock_guard<std::mutex> lock(mu_);
  reports_.push_back(report);
}

std::vector<Report> RecordingSink::reports() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reports_;
}

size_t RecordingSink::count(ReportKind kind) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const Report& r : reports_) n += r.kind == kind;
  return n;
}

ThreadState* EngineTest::spawn(ThreadState* parent, Pc pc) {
  ThreadState* t = engine.thread_create(parent ? parent : main_thread, pc);
  engine.thread_start(t);
  return t;
}

void EngineTest::finish_and_join(ThreadState* joiner, ThreadState* thread) {
  engine.thread_finish(thread);
  engine.thread_join(joiner, thread);
}

const ThreadInfo* EngineTest::thread_info(const Report& report, Tid tid) const {
  for (const ThreadInfo& t : report.threads) {
    if (t.tid == tid) return &t;
  }
  return nullptr;
}

}  // namespace conc::engine::test
