// Per-function summaries: locksets under every lock API, accesses, calls and
// thread starts, and the JSON form.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analyses/shared_data.h"
#include "test_support.h"

namespace conc::lint::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const char* const kGlobals = R"(
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <future>
#include <atomic>
std::mutex a, b;
std::shared_mutex rw;
int x, y;
)";

std::vector<std::string> heldAt(const FunctionSummary& f, const std::string& var, size_t index) {
  std::vector<Access> found = accessesTo(f, var);
  EXPECT_LT(index, found.size());
  return index < found.size() ? lockNames(found[index].held) : std::vector<std::string>{};
}

TEST(Summary, LockGuardHoldsUntilScopeEnd) {
  auto program = summarize(std::string(kGlobals) + R"(
    void f() {
      { std::lock_guard<std::mutex> g(a); x = 1; }
      x = 2;
    })");
  const FunctionSummary& f = function(program, "f");
  EXPECT_THAT(heldAt(f, "x", 0), ElementsAre("a"));
  EXPECT_THAT(heldAt(f, "x", 1), IsEmpty());
}

TEST(Summary, UniqueLockDeferLockUnlock) {
  auto program = summarize(std::string(kGlobals) + R"(
    void f() {
      std::unique_lock<std::mutex> l(a, std::defer_lock);
      x = 1;
      l.lock();
      x = 2;
      l.unlock();
      x = 3;
    })");
  const FunctionSummary& f = function(program, "f");
  EXPECT_THAT(heldAt(f, "x", 0), IsEmpty());
  EXPECT_THAT(heldAt(f, "x", 1), ElementsAre("a"));
  EXPECT_THAT(heldAt(f, "x", 2), IsEmpty());
}

TEST(Summary, UniqueLockAdoptAndTryToLock) {
  auto program = summarize(std::string(kGlobals) + R"(
    void f() {
      a.lock();
      { std::unique_lock<std::mutex> l(a, std::adopt_lock); x = 1; }
      x = 2;
      std::unique_lock<std::mutex> t(b, std::try_to_lock);
      if (t.owns_lock()) y = 1;
      y = 2;
    })");
  const FunctionSummary& f = function(program, "f");
  EXPECT_THAT(heldAt(f, "x", 0), ElementsAre("a"));
  EXPECT_THAT(heldAt(f, "x", 1), IsEmpty());
  EXPECT_THAT(heldAt(f, "y", 0), ElementsAre("b"));
  EXPECT_THAT(heldAt(f, "y", 1), IsEmpty());
}

TEST(Summary, ScopedLockTakesSeveralTogether) {
  auto program = summarize(std::string(kGlobals) + R"(
    void f() {
      std::scoped_lock both(a, b);
      x = 1;
    })");
  const FunctionSummary& f = function(program, "f");
  EXPECT_THAT(heldAt(f, "x", 0), ElementsAre("a", "b"));
  ASSERT_EQ(f.acquisitions.size(), 2u);
  // Taken together: neither is held while the other is taken.
  EXPECT_THAT(f.acquisitions[0].held, IsEmpty());
  EXPECT_THAT(f.acquisitions[1].held, IsEmpty());
}

TEST(Summary, SharedLockIsSharedMode) {
  auto program = summarize(std::string(kGlobals) + R"(
    int f() {
      std::shared_lock<std::shared_mutex> r(rw);
      return x;
    })");
  std::vector<Access> reads = accessesTo(function(program, "f"), "x");
  ASSERT_EQ(reads.size(), 1u);
  ASSERT_EQ(reads[0].held.size(), 1u);
  EXPECT_EQ(reads[0].held[0].mode, LockMode::Shared);
  EXPECT_FALSE(reads[0].write);
}

TEST(Summary, TryLockHeldOnlyOnSuccessBranch) {
  auto program = summarize(std::string(kGlobals) + R"(
    void f() {
      if (a.try_lock()) { x = 1; a.unlock(); }
      x = 2;
      while (!b.try_lock()) {}
      y = 1;
    })");
  const FunctionSummary& f = function(program, "f");
  EXPECT_THAT(heldAt(f, "x", 0), ElementsAre("a"));
  EXPECT_THAT(heldAt(f, "x", 1), IsEmpty());
  EXPECT_THAT(heldAt(f, "y", 0), ElementsAre("b"));
  EXPECT_TRUE(f.acquisitions.front().tryLock);
}

TEST(Summary, LocksHeldOnSomePathsOnlyAreNotHeld) {
  auto program = summarize(std::string(kGlobals) + R"(
    void f(bool c) {
      if (c) a.lock();
      x = 1;
    })");
  EXPECT_THAT(heldAt(function(program, "f"), "x", 0), IsEmpty());
}

TEST(Summary, PthreadMutexRwlockSpinAndTrylock) {
  auto program = summarize(R"(
    #include <pthread.h>
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
    pthread_spinlock_t spin;
    long c;
    void f(void) {
      pthread_mutex_lock(&m); c++; pthread_mutex_unlock(&m);
      c++;
      pthread_rwlock_rdlock(&rw); (void)c; pthread_rwlock_unlock(&rw);
      pthread_spin_lock(&spin); c = 2; pthread_spin_unlock(&spin);
      if (pthread_mutex_trylock(&m) == 0) { c = 3; pthread_mutex_unlock(&m); }
      if (pthread_mutex_trylock(&m)) return;
      c = 4;
    })",
                           Language::C);
  const FunctionSummary& f = function(program, "f");
  std::vector<Access> c = accessesTo(f, "c");
  ASSERT_EQ(c.size(), 6u);
  EXPECT_THAT(lockNames(c[0].held), ElementsAre("m"));
  EXPECT_THAT(lockNames(c[1].held), IsEmpty());
  EXPECT_THAT(lockNames(c[2].held), ElementsAre("rw"));
  EXPECT_EQ(c[2].held[0].mode, LockMode::Shared);
  EXPECT_THAT(lockNames(c[3].held), ElementsAre("spin"));
  EXPECT_THAT(lockNames(c[4].held), ElementsAre("m"));
  EXPECT_THAT(lockNames(c[5].held), ElementsAre("m"));  // nonzero return bailed out
}

TEST(Summary, AccessKindsAndWhatIsNotShared) {
  auto program = summarize(std::string(kGlobals) + R"(
    std::atomic<int> counter;
    thread_local int mine;
    const int limit = 3;
    struct S { int field; } s;
    void f() {
      int local = 0;
      x = 1;          // write
      y += x;         // write y, read x
      ++s.field;      // write s
      counter++;      // atomic
      mine++;         // thread-local
      local = limit;  // local, const
    })");
  const FunctionSummary& f = function(program, "f");
  std::vector<std::pair<std::string, bool>> seen;
  seen.reserve(f.accesses.size());
  for (const Access& access : f.accesses) seen.push_back({displayName(access.var), access.write});
  // In source order: `y += x` names y first.
  EXPECT_THAT(seen,
              ElementsAre(std::pair<std::string, bool>{"x", true}, std::pair<std::string, bool>{"y", true},
                          std::pair<std::string, bool>{"x", false}, std::pair<std::string, bool>{"s", true}));
}

TEST(Summary, MembersThroughThisAndLibraryCalls) {
  auto program = summarize(R"(
    #include <cstring>
    #include <vector>
    char buffer[16];
    std::vector<int> items;
    class Account {
     public:
      Account() { balance_ = 0; }       // constructors own their object
      void deposit(long n) { balance_ += n; }
     private:
      long balance_;
    };
    void f(const char *text) {
      std::strcpy(buffer, text);
      (void)std::strlen(buffer);
      items.push_back(1);
      (void)items.size();
    })");
  std::vector<Access> balance = accessesTo(function(program, "Account::deposit"), "Account::balance_");
  ASSERT_EQ(balance.size(), 1u);
  EXPECT_TRUE(balance[0].viaThis);
  EXPECT_THAT(accessesTo(function(program, "Account::Account"), "Account::balance_"), IsEmpty());
  const FunctionSummary& f = function(program, "f");
  std::vector<Access> buffer = accessesTo(f, "buffer");
  ASSERT_EQ(buffer.size(), 2u);
  EXPECT_TRUE(buffer[0].write);
  EXPECT_FALSE(buffer[1].write);
  std::vector<Access> vector = accessesTo(f, "items");
  ASSERT_EQ(vector.size(), 2u);
  EXPECT_TRUE(vector[0].write);
  EXPECT_FALSE(vector[1].write);
}

TEST(Summary, ThreadStartsOfEveryKind) {
  auto program = summarize(std::string(kGlobals) + R"(
    #include <pthread.h>
    #include <vector>
    void *worker(void *) { return nullptr; }
    void job() {}
    int compute() { return 1; }
    void start() {
      pthread_t t[2];
      for (int i = 0; i < 2; ++i) pthread_create(&t[i], nullptr, worker, nullptr);
      std::thread one(job);
      std::thread two([] { x = 1; });
      std::jthread three(job);
      std::vector<std::thread> pool;
      pool.emplace_back(job);
      auto f = std::async(std::launch::async, compute);
      one.join(); two.join(); pool[0].join(); f.get();
      for (int i = 0; i < 2; ++i) pthread_join(t[i], nullptr);
    })");
  const FunctionSummary& start = function(program, "start");
  std::vector<std::pair<std::string, bool>> starts;
  starts.reserve(start.threadStarts.size());
  for (const ThreadStart& thread : start.threadStarts)
    starts.push_back({thread.entryName.substr(0, 6), thread.inLoop});
  EXPECT_THAT(
      starts,
      ElementsAre(std::pair<std::string, bool>{"worker", true}, std::pair<std::string, bool>{"job", false},
                  std::pair<std::string, bool>{"lambda", false}, std::pair<std::string, bool>{"job", false},
                  std::pair<std::string, bool>{"job", false}, std::pair<std::string, bool>{"comput", false}));
  EXPECT_GE(start.joins.size(), 5u);
}

TEST(Summary, ThreadStartsRecordTheLocksPassedToTheEntry) {
  auto program = summarize(std::string(kGlobals) + R"(
    #include <pthread.h>
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    void *worker(void *) { return nullptr; }
    void job(int, std::mutex &) {}
    struct Runner { void run(std::mutex *) {} };
    void start(Runner &r) {
      pthread_t t;
      pthread_create(&t, nullptr, worker, &m);
      pthread_join(t, nullptr);
      std::thread one(job, 1, std::ref(a));
      std::thread two(&Runner::run, &r, &b);
      std::thread three(job, 2, std::ref(b));
      one.join(); two.join(); three.join();
    })");
  std::vector<std::vector<std::string>> passed;
  for (const ThreadStart& start : function(program, "start").threadStarts) {
    passed.emplace_back();
    for (const std::string& lock : start.lockArgs) passed.back().push_back(displayName(lock));
  }
  EXPECT_THAT(passed,
              ElementsAre(ElementsAre("m"), ElementsAre("", "a"), ElementsAre("b"), ElementsAre("", "b")));
}

TEST(Summary, FieldsThroughPointerParametersAndObjectsHandedToThreads) {
  auto program = summarize(R"(#include <pthread.h>
#include <stdlib.h>
struct tally { long words; };
static struct tally global_tally;
static void *count(void *arg) {
  struct tally *tally = arg;
  tally->words++;
  ((struct tally *)arg)->words = 0;
  return 0;
}
static void *moved(void *arg) {
  struct tally *tally = arg;
  tally = 0;
  return (void *)tally->words;
}
int main(void) {
  pthread_t t[8];
  struct tally *shared = calloc(1, sizeof *shared);
  struct tally local = {0}, each[2];
  pthread_create(&t[0], 0, count, shared);
  pthread_create(&t[1], 0, count, &local);
  pthread_create(&t[2], 0, count, &global_tally);
  pthread_create(&t[3], 0, count, &each[1]);
  pthread_create(&t[4], 0, count, calloc(1, sizeof *shared));
  shared->words = 1;
  local.words = 2;
  for (int i = 0; i < 5; ++i) pthread_join(t[i], 0);
  return (int)shared->words;
})",
                           Language::C);
  std::vector<std::string> vars;
  for (const Access& access : function(program, "count").accesses) {
    EXPECT_TRUE(access.pointee);
    vars.push_back(access.var.substr(0, access.var.find('@')));
  }
  EXPECT_THAT(vars, ElementsAre("$0->tally::words", "$0->tally::words"));
  // A local pointer reassigned no longer names the parameter's object.
  EXPECT_THAT(function(program, "moved").accesses, IsEmpty());
  std::vector<std::string> objects;
  for (const ThreadStart& start : function(program, "main").threadStarts)
    objects.push_back(start.objects.empty() ? "" : start.objects[0].substr(0, start.objects[0].find('@')));
  EXPECT_THAT(objects, ElementsAre("*main::shared", "&main::local", "global_tally", "", ""));
  // main's own accesses to them while the threads run (not after the joins).
  std::vector<std::string> mine;
  for (const Access& access : function(program, "main").accesses)
    if (access.pointee) mine.push_back(displayName(access.var));
  EXPECT_THAT(mine, ElementsAre("shared->words", "local.words"));
}

TEST(Summary, ForkSidesAndSharedMappings) {
  auto program = summarize(R"(#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
static void count(long *visits) { (*visits)++; }
static void pass(long *visits) { count(visits); }
int main(void) {
  long *page = mmap(0, sizeof *page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  long *heap = malloc(sizeof *heap);
  pid_t child = fork();
  if (child == 0) {
    count(page);
    _exit(0);
  }
  count(heap);
  waitpid(child, 0, 0);
  count(page);
  return 0;
})",
                           Language::C);
  const FunctionSummary& main = function(program, "main");
  ASSERT_EQ(main.forks.size(), 1u);
  EXPECT_EQ(main.forks[0].loc.line, 10u);
  ASSERT_EQ(main.sharedMappings.size(), 1u);
  EXPECT_EQ(main.sharedMappings[0].substr(0, main.sharedMappings[0].find('@')), "*main::page");
  std::vector<std::pair<ForkSide, std::vector<std::string>>> calls;
  calls.reserve(main.calls.size());
  for (const CallSite& call : main.calls) calls.push_back({call.fork, call.objects});
  EXPECT_THAT(calls, ElementsAre(std::pair(ForkSide::Child, main.sharedMappings),
                                 std::pair(ForkSide::Parent, std::vector<std::string>{}),
                                 std::pair(ForkSide::None, main.sharedMappings)));
  // The whole pointee through a parameter, and a parameter passed on.
  ASSERT_EQ(function(program, "count").accesses.size(), 1u);
  EXPECT_EQ(function(program, "count").accesses[0].var, "$0->");
  ASSERT_EQ(function(program, "pass").calls.size(), 1u);
  EXPECT_THAT(function(program, "pass").calls[0].objects, ElementsAre("$0"));
  // The new fields survive JSON.
  ProgramSummary back;
  llvm::json::Path::Root root;
  ASSERT_TRUE(fromJSON(toJSON(program), back, root));
  EXPECT_EQ(back.functions.at(functionKey(main)).calls[0].fork, ForkSide::Child);
  EXPECT_EQ(back.functions.at(functionKey(main)).sharedMappings, main.sharedMappings);
}

TEST(Summary, LocalPointerFromAParameterNamesTheParameterLock) {
  auto program = summarize(R"(
    #include <pthread.h>
    int items;
    void *wait_items(void *arg) {
      pthread_mutex_t *lock = (pthread_mutex_t *)arg;
      pthread_mutex_lock(lock);
      items++;
      pthread_mutex_unlock(lock);
      return 0;
    })",
                           Language::C);
  const FunctionSummary& wait = function(program, "wait_items");
  ASSERT_EQ(wait.acquisitions.size(), 1u);
  EXPECT_TRUE(isParameterLock(wait.acquisitions[0].lock));
  EXPECT_EQ(parameterIndex(wait.acquisitions[0].lock), 0u);
  EXPECT_EQ(parameterFallback(wait.acquisitions[0].lock), "wait_items::lock");
  ASSERT_EQ(accessesTo(wait, "items").size(), 1u);
  EXPECT_EQ(accessesTo(wait, "items")[0].held.size(), 1u);
}

TEST(Summary, LambdaLocalFromACapturedParameterIsNotTheLambdasParameter) {
  auto program = summarize(R"(
    #include <pthread.h>
    int items;
    void count(pthread_mutex_t *outer) {
      auto add = [outer](int n) {
        pthread_mutex_t *lock = outer;
        pthread_mutex_lock(lock);
        items += n;
        pthread_mutex_unlock(lock);
      };
      add(1);
    })");
  size_t acquisitions = 0;
  for (const auto& [id, f] : program.functions)
    for (const auto& acquisition : f.acquisitions) {
      ++acquisitions;
      EXPECT_FALSE(isParameterLock(acquisition.lock)) << f.name << ": " << acquisition.lock;
    }
  EXPECT_EQ(acquisitions, 1u);
}

TEST(Summary, AccessesWhileStartedThreadsRun) {
  auto program = summarize(std::string(kGlobals) + R"(
    void job() {}
    int main() {
      x = 1;                  // before the start
      std::thread t(job);
      y = 1;                  // while it runs
      t.join();
      x = 2;                  // after the join
    })");
  const FunctionSummary& main = function(program, "main");
  EXPECT_FALSE(accessesTo(main, "x")[0].whileThreadsRun);
  EXPECT_TRUE(accessesTo(main, "y")[0].whileThreadsRun);
  EXPECT_FALSE(accessesTo(main, "x")[1].whileThreadsRun);
}

TEST(Summary, CallsRecordLocksHeldAndLockArguments) {
  auto program = summarize(std::string(kGlobals) + R"(
    void bump(std::mutex &mu) { std::lock_guard<std::mutex> g(mu); y++; }
    void f() {
      std::lock_guard<std::mutex> g(a);
      bump(b);
    })");
  const FunctionSummary& f = function(program, "f");
  ASSERT_EQ(f.calls.size(), 1u);
  EXPECT_EQ(f.calls[0].calleeName, "bump");
  EXPECT_THAT(lockNames(f.calls[0].held), ElementsAre("a"));
  ASSERT_EQ(f.calls[0].lockArgs.size(), 1u);
  EXPECT_EQ(displayName(f.calls[0].lockArgs[0]), "b");
  const FunctionSummary& bump = function(program, "bump");
  ASSERT_EQ(bump.acquisitions.size(), 1u);
  EXPECT_TRUE(isParameterLock(bump.acquisitions[0].lock));
}

TEST(Summary, ReleaseAcquireOrderingIsRecorded) {
  auto program = summarize(std::string(kGlobals) + R"(
    std::atomic<bool> ready;
    void producer() { x = 1; ready.store(true, std::memory_order_release); }
    void consumer() { while (!ready.load(std::memory_order_acquire)) {} y = x; }
    void relaxed() { x = 2; ready.store(true, std::memory_order_relaxed); }
  )");
  std::vector<Access> produced = accessesTo(function(program, "producer"), "x");
  ASSERT_EQ(produced.size(), 1u);
  EXPECT_EQ(produced[0].syncAfter.size(), 1u);
  std::vector<Access> consumed = accessesTo(function(program, "consumer"), "x");
  ASSERT_EQ(consumed.size(), 1u);
  EXPECT_EQ(consumed[0].syncBefore.size(), 1u);
  EXPECT_THAT(accessesTo(function(program, "relaxed"), "x")[0].syncAfter, IsEmpty());
}

TEST(Summary, JsonRoundTrip) {
  ProgramSummary program = summarize(std::string(kGlobals) + R"(
    void f() { std::lock_guard<std::mutex> g(a); x = 1; std::thread t([]{}); t.join(); })");
  llvm::json::Value json = toJSON(program);
  std::string text;
  llvm::raw_string_ostream(text) << json;
  auto parsed = llvm::json::parse(text);
  ASSERT_TRUE(bool(parsed));
  ProgramSummary back;
  llvm::json::Path::Root root;
  ASSERT_TRUE(fromJSON(*parsed, back, root));
  EXPECT_EQ(back.functions.size(), program.functions.size());
  std::string again;
  llvm::raw_string_ostream(again) << toJSON(back);
  EXPECT_EQ(again, text);
}

}  // namespace
}  // namespace conc::lint::test
