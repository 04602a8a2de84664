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
  held.reserve(found->held.size());
  for (const std::string& lock : found->held) held.push_back(displayName(lock));
  EXPECT_THAT(held, ElementsAre("a", "gate"));
}

TEST(Model, ObjectsCapturedByAThreadsLambdaAreShared) {
  // main owns `counter`, but the lambda running in the thread reaches it
  // through its capture.
  auto found = findings(R"(#include <mutex>
#include <thread>
struct Counter {
  std::mutex mu;
  long n = 0;
  void add() { std::lock_guard<std::mutex> g(mu); ++n; }
  long peek() const { return n; }
};
int main() {
  Counter counter;
  std::thread adder([&] { for (int i = 0; i < 9; ++i) counter.add(); });
  std::thread reader([&] { (void)counter.peek(); });
  adder.join();
  reader.join();
}
)");
  EXPECT_THAT(findingKeys(found), ElementsAre("unguarded-access:7"));
}

// Two threads of one entry, each waiting under the mutex it was given, and a
// writer holding both: every conflicting pair shares a lock.
const char* const kLockPerThread = R"(#include <pthread.h>
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static int items;
static void *reader(void *arg) {
  pthread_mutex_t *lock = arg;
  pthread_mutex_lock(lock);
  int seen = items;
  pthread_mutex_unlock(lock);
  return (void *)(long)seen;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, reader, &queue_lock);
  pthread_create(&b, 0, reader, &stats_lock);
  pthread_mutex_lock(&queue_lock);
  %s
  items = 1;
  %s
  pthread_mutex_unlock(&queue_lock);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return 0;
}
)";

std::string lockPerThread(const std::string& lockStats, const std::string& unlockStats) {
  std::string code(kLockPerThread);
  code.replace(code.find("%s"), 2, lockStats);
  code.replace(code.find("%s"), 2, unlockStats);
  return code;
}

TEST(Model, StartsPassingDifferentLocksAreContextsOfTheirOwn) {
  ProgramSummary program = summarize(
      lockPerThread("pthread_mutex_lock(&stats_lock);", "pthread_mutex_unlock(&stats_lock);"), Language::C);
  ProgramModel built = buildProgramModel(program);
  std::vector<std::vector<std::string>> locksets;
  for (const ContextAccess& access : built.accesses)
    if (displayName(access.var) == "items" && !access.write) {
      EXPECT_FALSE(built.contexts[access.context].many);
      locksets.push_back(lockNames(access.locks));
    }
  EXPECT_THAT(locksets,
              ::testing::UnorderedElementsAre(ElementsAre("queue_lock"), ElementsAre("stats_lock")));
}

TEST(Model, WriterHoldingEveryThreadsLockIsNoRace) {
  EXPECT_THAT(findingKeys(findings(
                  lockPerThread("pthread_mutex_lock(&stats_lock);", "pthread_mutex_unlock(&stats_lock);"),
                  Language::C)),
              IsEmpty());
  // Holding only one of them leaves the other thread's read unguarded.
  EXPECT_THAT(findingKeys(findings(lockPerThread("", ""), Language::C)),
              ElementsAre("unguarded-access:8", "unguarded-access:18"));
}

// Two threads transfer between the same two accounts, given in opposite
// orders; `body` takes the accounts' locks.
std::string transfers(const std::string& body) {
  return R"(#include <mutex>
#include <thread>
struct Account { std::mutex mu; int balance = 0; };
Account alice, bob;
void transfer(Account &from, Account &to, int amount) {
)" + body +
         R"(
  from.balance -= amount;
  to.balance += amount;
}
int main() {
  std::thread t1(transfer, std::ref(alice), std::ref(bob), 1);
  std::thread t2(transfer, std::ref(bob), std::ref(alice), 2);
  t1.join();
  t2.join();
}
)";
}

TEST(Model, LocksOfParameterObjectsAreToldApartThroughThreadStarts) {
  auto found = findings(
      transfers("  std::lock_guard<std::mutex> a(from.mu);\n  std::lock_guard<std::mutex> b(to.mu);"));
  ASSERT_THAT(findingKeys(found), ElementsAre("lock-order-inversion:7"));
  EXPECT_THAT(found[0].message,
              ::testing::HasSubstr("`alice.mu` → `bob.mu` here, but `bob.mu` → `alice.mu`"));
}

TEST(Model, ParameterObjectsLockedTogetherOrInAChosenOrderAreNoInversion) {
  EXPECT_THAT(findings(transfers("  std::scoped_lock both(from.mu, to.mu);")), IsEmpty());
  EXPECT_THAT(
      findings(transfers(
          R"(  if (&from < &to) { from.mu.lock(); to.mu.lock(); } else { to.mu.lock(); from.mu.lock(); }
  std::lock_guard<std::mutex> a(from.mu, std::adopt_lock), b(to.mu, std::adopt_lock);)")),
      IsEmpty());
}

// Philosophers: each thread locks its seat's element, then the next one.
std::string philosophers(const std::string& body) {
  return R"(#include <mutex>
#include <thread>
#include <vector>
std::mutex forks[5];
void dine(int seat) {
)" + body +
         R"(
}
int main() {
  std::vector<std::thread> all;
  for (int seat = 0; seat < 5; ++seat) all.emplace_back(dine, seat);
  for (auto &t : all) t.join();
}
)";
}

TEST(Model, ArrayElementsTakenAroundACircleAreAnInversion) {
  auto found =
      findings(philosophers("  std::lock_guard<std::mutex> left(forks[seat]);\n  std::lock_guard<std::mutex> "
                            "right(forks[(seat + 1) % 5]);"));
  ASSERT_THAT(findingKeys(found), ElementsAre("lock-order-inversion:7"));
  EXPECT_THAT(found[0].message, ::testing::HasSubstr("an element of `forks`"));
}

TEST(Model, ArrayElementsInIndexOrderAreNoInversion) {
  // The lower index first, and hand over hand up the array (no wrap around).
  EXPECT_THAT(findings(philosophers(R"(  int first = seat < (seat + 1) % 5 ? seat : (seat + 1) % 5;
  int second = seat < (seat + 1) % 5 ? (seat + 1) % 5 : seat;
  std::lock_guard<std::mutex> lower(forks[first]);
  std::lock_guard<std::mutex> higher(forks[second]);)")),
              IsEmpty());
  EXPECT_THAT(findings(philosophers(R"(  if (seat + 1 < 5) {
    std::lock_guard<std::mutex> here(forks[seat]);
    std::lock_guard<std::mutex> next(forks[seat + 1]);
  })")),
              IsEmpty());
}

}  // namespace
}  // namespace conc::lint::test
