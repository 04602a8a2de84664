// The whole-program model: thread contexts, effective locksets across calls
// and lock parameters, and lock-order edges with their call chains.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analyses/shared_data.h"
#include "test_support.h"

namespace conc::lint::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const char* const kProgram = R"(
#include <mutex>
#include <thread>
std::mutex a, b, gate;
int shared;
void write_shared() { shared = 1; }
void bump(std::mutex &mu) { std::lock_guard<std::mutex> g(mu); shared++; }
void locked_writer() { std::lock_guard<std::mutex> g(a); write_shared(); }
void lone_writer() { write_shared(); }
void inner() { std::lock_guard<std::mutex> g(b); }
void outer() { std::lock_guard<std::mutex> g(gate); std::lock_guard<std::mutex> h(a); inner(); }
void through_parameter() { bump(b); }
int main() {
  std::thread t1(locked_writer), t2(lone_writer), t3(outer), t4(through_parameter);
  for (int i = 0; i < 2; ++i) { std::thread t(inner); t.join(); }
  t1.join(); t2.join(); t3.join(); t4.join();
}
)";

const ProgramModel& model() {
  static const ProgramSummary program = summarize(kProgram);
  static const ProgramModel built = buildProgramModel(program);
  return built;
}

const ThreadContext* context(const std::string& name) {
  for (const ThreadContext& context : model().contexts)
    if (context.name == name) return &context;
  return nullptr;
}

std::vector<std::vector<std::string>> locksetsIn(const std::string& entry) {
  std::vector<std::vector<std::string>> locksets;
  for (const ContextAccess& access : model().accesses)
    if (model().contexts[access.context].name == entry && displayName(access.var) == "shared")
      locksets.push_back(lockNames(access.locks));
  return locksets;
}

TEST(Model, ContextsForEntriesAndTheirMultiplicity) {
  ASSERT_NE(context("locked_writer"), nullptr);
  EXPECT_FALSE(context("locked_writer")->many);
  ASSERT_NE(context("inner"), nullptr);
  EXPECT_TRUE(context("inner")->many);  // started in a loop
  ASSERT_NE(context("main"), nullptr);
  EXPECT_EQ(context("main")->kind, ThreadContext::Kind::Spawner);
}

TEST(Model, LocksHeldAtCallSitesReachTheCallee) {
  EXPECT_THAT(locksetsIn("locked_writer"), ElementsAre(ElementsAre("a")));
  EXPECT_THAT(locksetsIn("lone_writer"), ElementsAre(IsEmpty()));
}

TEST(Model, LockParametersMapToTheArgument) {
  EXPECT_THAT(locksetsIn("through_parameter"), ElementsAre(ElementsAre("b")));
}

TEST(Model, LockOrderEdgesThroughCallsWithChainAndHeldSet) {
  const LockEdge* found = nullptr;
  for (const LockEdge& edge : model().edges)
    if (displayName(edge.from) == "a" && displayName(edge.to) == "b") found = &edge;
  ASSERT_NE(found, nullptr);
  ASSERT_EQ(found->chain.size(), 1u);
  EXPECT_EQ(found->chain[0].callee, "inner");
  std::vector<std::string> held;
  for (const std::string& lock : found->held) held.push_back(displayName(lock));
  EXPECT_THAT(held, ElementsAre("a", "gate"));
}

}  // namespace
}  // namespace conc::lint::test
