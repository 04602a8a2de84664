// The path checks (lock-leak, double-lock, wait-without-loop,
// wait-without-lock, blocking-under-lock, thread-not-joined,
// fork-in-threads, livelock-retry, check-then-act) on small programs: what
// each reports and, as much, what it must not.
#include <algorithm>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checks/registry.h"
#include "test_support.h"

namespace conc::lint::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// "check:line" of the findings of `check` only.
std::vector<std::string> keys(const std::string &check, const std::string &code,
                              Language language = Language::Cxx) {
  std::vector<std::string> all = findingKeys(findings(code, language));
  std::vector<std::string> mine;
  std::copy_if(all.begin(), all.end(), std::back_inserter(mine),
               [&](const std::string &key) { return key.starts_with(check + ":"); });
  return mine;
}

// --- lock-leak ---------------------------------------------------------------

TEST(LockLeak, EarlyReturnSkipsTheUnlock) {
  auto found = findings(R"(#include <mutex>
std::mutex m;
int total;
bool add(int v) {
  m.lock();
  if (v < 0) return false;
  total += v;
  m.unlock();
  return true;
})");
  ASSERT_THAT(findingKeys(found), ElementsAre("lock-leak:6"));
  EXPECT_THAT(found[0].message, HasSubstr("`m` locked at input.cc:5 is still held"));
  EXPECT_THAT(found[0].related[1].message, HasSubstr("std::lock_guard"));
}

TEST(LockLeak, ThrowingCallInsideManualRegion) {
  EXPECT_THAT(keys("lock-leak", R"(#include <mutex>
#include <vector>
std::mutex m;
std::vector<int> items;
void push(int v) {
  m.lock();
  items.push_back(v);
  m.unlock();
})"),
              ElementsAre("lock-leak:7"));
}

TEST(LockLeak, ThreadExitsHoldingTheLockAndSemaphorePermits) {
  EXPECT_THAT(keys("lock-leak", R"(#include <pthread.h>
#include <semaphore.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static sem_t slots;
static void *worker(void *arg) {
  pthread_mutex_lock(&m);
  return arg;
}
static int use_slot(int bad) {
  sem_wait(&slots);
  if (bad) return -1;
  sem_post(&slots);
  return 0;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  pthread_join(t, 0);
  return use_slot(0);
})",
                   Language::C),
              ElementsAre("lock-leak:7", "lock-leak:11"));
}

TEST(LockLeak, SilentForGuardsWrappersAndBalancedPaths) {
  EXPECT_THAT(keys("lock-leak", R"(#include <mutex>
#include <pthread.h>
std::mutex m;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
int total;
void lock_table() { pthread_mutex_lock(&pm); }
void unlock_table() { pthread_mutex_unlock(&pm); }
bool add(int v) {
  std::lock_guard<std::mutex> g(m);
  if (v < 0) return false;
  total += v;
  return true;
}
int take(int v) {
  if (pthread_mutex_trylock(&pm) != 0) return -1;
  total += v;
  pthread_mutex_unlock(&pm);
  return 0;
}
void both() { lock_table(); total++; unlock_table(); }
)"),
              IsEmpty());
}

// --- double-lock ---------------------------------------------------------------

TEST(DoubleLock, RelockDirectlyAndThroughACall) {
  EXPECT_THAT(keys("double-lock", R"(#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int n;
static void log_it(void) { pthread_mutex_lock(&m); n++; pthread_mutex_unlock(&m); }
void twice(int retry) {
  pthread_mutex_lock(&m);
  if (retry) pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
}
void outer(void) { pthread_mutex_lock(&m); log_it(); pthread_mutex_unlock(&m); }
)",
                   Language::C),
              ElementsAre("double-lock:4", "double-lock:7"));
}

TEST(DoubleLock, UnlockTwiceAndUnlockInAThreadThatNeverLocked) {
  EXPECT_THAT(keys("double-lock", R"(#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void *helper(void *arg) { pthread_mutex_unlock(&m); return arg; }
int main(void) {
  pthread_t t;
  pthread_create(&t, 0, helper, 0);
  pthread_join(t, 0);
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  pthread_mutex_unlock(&m);
  return 0;
})",
                   Language::C),
              ElementsAre("double-lock:3", "double-lock:10"));
}

TEST(DoubleLock, SilentForRecursiveMutexesArraysAndOtherObjects) {
  EXPECT_THAT(keys("double-lock", R"(#include <mutex>
std::recursive_mutex rm;
std::mutex forks[4];
struct Account { std::mutex mu; long balance; };
using RG = std::lock_guard<std::recursive_mutex>;
void nested() { RG a(rm); RG b(rm); }
void eat(int i) { std::lock_guard<std::mutex> l(forks[i]), r(forks[(i + 1) % 4]); }
void transfer(Account *from, Account *to) {
  std::scoped_lock both(from->mu, to->mu);
  from->balance--; to->balance++;
}
void move(Account *from, Account *to) {
  from->mu.lock(); to->mu.lock();
  to->mu.unlock(); from->mu.unlock();
}
void helper_unlocks(std::mutex &mu) { mu.unlock(); }
)"),
              IsEmpty());
}

// --- waits -------------------------------------------------------------------

TEST(WaitWithoutLoop, WaitUnderIfButNotUnderWhileOrPredicate) {
  EXPECT_THAT(keys("wait-without-loop", R"(#include <condition_variable>
#include <mutex>
std::mutex m;
std::condition_variable cv;
bool ready;
void bad() { std::unique_lock<std::mutex> lk(m); if (!ready) cv.wait(lk); }
void good() { std::unique_lock<std::mutex> lk(m); while (!ready) cv.wait(lk); }
void predicate() { std::unique_lock<std::mutex> lk(m); cv.wait(lk, [] { return ready; }); }
void wait_once(std::unique_lock<std::mutex> &lk) { cv.wait(lk); }
void looped() { std::unique_lock<std::mutex> lk(m); while (!ready) wait_once(lk); }
)"),
              ElementsAre("wait-without-loop:6"));
}

TEST(WaitWithoutLock, MutexNotHeldAndPredicateChangedWithoutIt) {
  auto found = keys("wait-without-lock", R"(#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;
static void *waiter(void *arg) {
  pthread_mutex_lock(&m);
  while (!ready) pthread_cond_wait(&cv, &m);
  pthread_mutex_unlock(&m);
  return arg;
}
static void *careless(void *arg) {
  while (!ready) pthread_cond_wait(&cv, &m);
  return arg;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, waiter, 0);
  pthread_create(&b, 0, careless, 0);
  ready = 1;
  pthread_cond_broadcast(&cv);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return 0;
})",
                    Language::C);
  EXPECT_THAT(found, ElementsAre("wait-without-lock:12", "wait-without-lock:19"));
}

// --- blocking-under-lock -------------------------------------------------------

TEST(BlockingUnderLock, SleepIoJoinAndOtherWaitsUnderALock) {
  EXPECT_THAT(keys("blocking-under-lock", R"(#include <condition_variable>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
std::mutex m, other;
std::condition_variable cv;
bool ready;
void slow() { usleep(100); }
void nap() { std::lock_guard<std::mutex> g(m); std::this_thread::sleep_for(std::chrono::hours(0)); }
void reader() { std::lock_guard<std::mutex> g(m); std::string line; std::getline(std::cin, line); }
void caller() { std::lock_guard<std::mutex> g(m); slow(); }
void nested() {
  std::lock_guard<std::mutex> g(other);
  std::unique_lock<std::mutex> lk(m);
  while (!ready) cv.wait(lk);
}
void fine() {
  std::unique_lock<std::mutex> lk(m);
  while (!ready) cv.wait(lk);
  lk.unlock();
  usleep(10);
}
)"),
              ElementsAre("blocking-under-lock:11", "blocking-under-lock:12",
                          "blocking-under-lock:13", "blocking-under-lock:17"));
}

// --- thread-not-joined ----------------------------------------------------------

TEST(ThreadNotJoined, EarlyReturnAndForgottenPthread) {
  EXPECT_THAT(keys("thread-not-joined", R"(#include <thread>
#include <vector>
#include <pthread.h>
void work() {}
void *body(void *arg) { return arg; }
void *self_detaching(void *arg) { pthread_detach(pthread_self()); return arg; }
int early(bool bad) {
  std::thread t(work);
  if (bad) return 1;
  t.join();
  return 0;
}
void guarded() { std::thread t(work); if (t.joinable()) t.join(); }
void moved(std::vector<std::thread> &pool) { std::thread t(work); pool.push_back(std::move(t)); }
void detached() { std::thread t(work); t.detach(); }
void forgotten() {
  pthread_t a, b, c;
  pthread_create(&a, 0, body, 0);
  pthread_create(&b, 0, body, 0);
  pthread_join(b, 0);
  pthread_create(&c, 0, self_detaching, 0);
}
)"),
              ElementsAre("thread-not-joined:9", "thread-not-joined:18"));
}

// --- fork-in-threads ----------------------------------------------------------------

TEST(ForkInThreads, UnsafeCallInTheChildOnlyAfterThreadsStarted) {
  EXPECT_THAT(keys("fork-in-threads", R"(#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void *idle(void *arg) { return arg; }
static void spawn(void) {
  pid_t pid = fork();
  if (pid == 0) {
    char *buffer = malloc(16);
    (void)buffer;
    _exit(0);
  }
}
static void safe(void) {
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/true", "true", (char *)0);
    _exit(1);
  }
  printf("parent\n");
}
int main(void) {
  pthread_t t;
  pthread_create(&t, 0, idle, 0);
  spawn();
  safe();
  pthread_join(t, 0);
  return 0;
})",
                   Language::C),
              ElementsAre("fork-in-threads:7"));
}

// --- livelock-retry ---------------------------------------------------------------

TEST(LivelockRetry, OppositeTryLockLoopsWithoutBackOff) {
  EXPECT_THAT(keys("livelock-retry", R"(#include <mutex>
#include <thread>
std::mutex a, b;
void left() {
  while (true) {
    a.lock();
    if (b.try_lock()) break;
    a.unlock();
  }
  b.unlock(); a.unlock();
}
void right() {
  while (true) {
    b.lock();
    if (a.try_lock()) break;
    b.unlock();
    std::this_thread::yield();
  }
  a.unlock(); b.unlock();
}
)"),
              ElementsAre("livelock-retry:7"));
}

// --- check-then-act ---------------------------------------------------------------

TEST(CheckThenAct, StaleValueWrittenInALaterCriticalSection) {
  EXPECT_THAT(keys("check-then-act", R"(#include <mutex>
std::mutex m;
long balance;
void withdraw(long amount) {
  long seen;
  { std::lock_guard<std::mutex> g(m); seen = balance; }
  if (seen < amount) return;
  std::lock_guard<std::mutex> g(m);
  balance = seen - amount;
}
void fresh(long amount) {
  long seen;
  { std::lock_guard<std::mutex> g(m); seen = balance; }
  std::lock_guard<std::mutex> g(m);
  balance = balance - amount + seen * 0;
  long again = balance;
  balance = again + 1;
}
)"),
              ElementsAre("check-then-act:9"));
}

// --- registry -------------------------------------------------------------------

TEST(Registry, ChecksCanBeSwitchedOff) {
  EXPECT_TRUE(enabledByDefault("lock-leak"));
  auto checks = selectChecks({{"lock-leak", false}});
  EXPECT_TRUE(std::none_of(checks.begin(), checks.end(),
                           [](const auto &check) { return check->id() == "lock-leak"; }));
  EXPECT_EQ(checks.size() + 1, allChecks().size());
}

} // namespace
} // namespace conc::lint::test
