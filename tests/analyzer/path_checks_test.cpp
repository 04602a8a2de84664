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
std::vector<std::string> keys(const std::string& check, const std::string& code,
                              Language language = Language::Cxx) {
  std::vector<std::string> all = findingKeys(findings(code, language));
  std::vector<std::string> mine;
  std::copy_if(all.begin(), all.end(), std::back_inserter(mine),
               [&](const std::string& key) { return key.starts_with(check + ":"); });
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

TEST(LockLeak, GuardFixItWhenTheUnlockEndsTheBlock) {
  auto found = findings(R"(#include <mutex>
std::mutex m;
int total;
bool add(int v) {
  m.lock();
  if (v < 0) return false;
  total += v;
  m.unlock();
  return true;
}
bool add_twice(int v) {
  m.lock();
  if (v < 0) { m.unlock(); return false; }
  if (v > 9) return false;
  total += v;
  m.unlock();
  return true;
})");
  ASSERT_THAT(findingKeys(found), ElementsAre("lock-leak:6", "lock-leak:14"));
  ASSERT_EQ(found[0].fix.size(), 2u);
  EXPECT_EQ(found[0].fix[0].begin.line, 5u);
  EXPECT_EQ(found[0].fix[0].begin.column, 3u);
  EXPECT_EQ(found[0].fix[0].end.column, 12u);  // past `m.lock();`
  EXPECT_EQ(found[0].fix[0].text, "std::lock_guard<std::mutex> guard(m);");
  EXPECT_EQ(found[0].fix[1].begin.line, 8u);
  EXPECT_EQ(found[0].fix[1].end.column, 14u);  // past `m.unlock();`
  EXPECT_EQ(found[0].fix[1].text, "");
  EXPECT_THAT(found[0].related[1].message, HasSubstr("replace the lock() with"));
  EXPECT_THAT(found[1].fix, IsEmpty());  // a guard would unlock twice
}

TEST(LockLeak, ThrowingCallInsideManualRegionWhenTheProgramCatches) {
  EXPECT_THAT(keys("lock-leak", R"(#include <mutex>
#include <vector>
std::mutex m;
std::vector<int> items;
void push(int v) {
  m.lock();
  items.push_back(v);
  m.unlock();
}
bool try_push(int v) {
  try { push(v); return true; } catch (...) { return false; }
})"),
              ElementsAre("lock-leak:7"));
}

TEST(LockLeak, NoThrowPathsWithoutExceptionsInTheProgram) {
  EXPECT_THAT(keys("lock-leak", R"(#include <mutex>
#include <vector>
std::mutex m;
std::vector<int> items;
void push(int v) {
  m.lock();
  items.push_back(v);
  m.unlock();
})"),
              IsEmpty());
}

TEST(LockLeak, ThrowPathsOnlyThroughCalleesThatMayThrow) {
  EXPECT_THAT(keys("lock-leak", R"(#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
std::mutex m;
int total;
static void check(const char *what, int rc) {
  if (rc != 0) { std::fprintf(stderr, "%s failed\n", what); std::abort(); }
}
static int parse(int v) { if (v < 0) throw std::invalid_argument("negative"); return v; }
static int twice(int v) { return 2 * parse(v); }
void quiet(int v) {
  m.lock();
  check("add", v);
  total += v;
  m.unlock();
}
void loud(int v) {
  m.lock();
  total += twice(v);
  m.unlock();
})"),
              ElementsAre("lock-leak:20"));
}

TEST(LockLeak, LockFunctionsJudgedAtTheirCallSites) {
  EXPECT_THAT(keys("lock-leak", R"(#include <pthread.h>
static pthread_mutex_t table_mutex = PTHREAD_MUTEX_INITIALIZER;
static int table[16];
static void lock_table(void) { pthread_mutex_lock(&table_mutex); }
static void unlock_table(void) { pthread_mutex_unlock(&table_mutex); }
static void lock_it(pthread_mutex_t *m) { pthread_mutex_lock(m); }
int lookup(int k) {
  lock_table();
  if (k < 0) return -1;
  int v = table[k];
  unlock_table();
  return v;
}
int store(int k, int v) {
  lock_it(&table_mutex);
  if (k < 0) return -1;
  table[k] = v;
  pthread_mutex_unlock(&table_mutex);
  return 0;
}
int balanced(int k) {
  lock_table();
  int v = table[k & 15];
  unlock_table();
  return v;
})",
                   Language::C),
              ElementsAre("lock-leak:9", "lock-leak:16"));
}

TEST(LockLeak, CallerLockDroppedAndTakenBack) {
  EXPECT_THAT(keys("lock-leak", R"(#include <mutex>
#include <unistd.h>
struct Queue {
  std::mutex mu;
  int size = 0;
  // Called with `mu` held; drops it while waiting for room, as LevelDB's
  // MakeRoomForWrite does.
  bool make_room(bool allow_delay) {
    while (size > 10) {
      if (!allow_delay) return false;
      mu.unlock();
      usleep(1000);
      mu.lock();
    }
    return true;
  }
  void put() {
    mu.lock();
    if (make_room(true)) size++;
    mu.unlock();
  }
};)"),
              IsEmpty());
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

TEST(LockLeak, ThreadLeavesWithoutPostingItsCompletionSignal) {
  auto found = findings(R"(#include <pthread.h>
#include <semaphore.h>
static sem_t done, items;
static int result, remaining = 2, queue[8];
static int load(long id) { return id == 1 ? -1 : (int)id; }
static void *worker(void *arg) {
  int value = load((long)arg);
  if (value < 0) return 0;
  __atomic_fetch_add(&result, value, __ATOMIC_RELAXED);
  sem_post(&done);
  return 0;
}
static void *last_one(void *arg) {
  if (__atomic_sub_fetch(&remaining, 1, __ATOMIC_ACQ_REL) == 0) sem_post(&done);
  return arg;
}
static void *producer(void *arg) {
  for (int i = 0; i < 8; ++i) {
    if (i % 2) continue;
    queue[i] = i;
    sem_post(&items);
  }
  return arg;
}
static void post_if(int ok) {
  if (!ok) return;
  sem_post(&done);
}
int main(void) {
  pthread_t t[3];
  pthread_create(&t[0], 0, worker, 0);
  pthread_create(&t[1], 0, last_one, 0);
  pthread_create(&t[2], 0, producer, 0);
  post_if(1);
  sem_wait(&done);
  for (int i = 0; i < 3; ++i) pthread_join(t[i], 0);
  return 0;
})",
                        Language::C);
  std::erase_if(found, [](const Finding& f) { return f.check != "lock-leak"; });
  ASSERT_THAT(findingKeys(found), ElementsAre("lock-leak:8"));
  EXPECT_THAT(found[0].message,
              HasSubstr("thread `worker` ends here without posting `done` (posted at input.c:10"));
  EXPECT_THAT(found[0].related[1].message, HasSubstr("post `done` on every path out"));
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

TEST(DoubleLock, ExtraUnlockOfARecursiveMutexAfterABalancedCall) {
  auto found = findings(R"(#include <mutex>
#include <thread>
std::recursive_mutex rm;
int n;
void insert(int depth) {
  rm.lock();
  ++n;
  if (depth < 2) insert(depth + 1);
  rm.unlock();
}
void rebuild() {
  insert(0);
  rm.unlock();
}
void lock_twice() { rm.lock(); rm.lock(); ++n; rm.unlock(); }
void through_wrapper() { lock_twice(); rm.unlock(); }
void nested() { rm.lock(); rm.lock(); ++n; rm.unlock(); rm.unlock(); }
int main() {
  std::thread a(rebuild), b(through_wrapper), c(nested);
  a.join();
  b.join();
  c.join();
})");
  std::erase_if(found, [](const Finding& f) { return f.check != "double-lock" && f.check != "lock-leak"; });
  ASSERT_THAT(findingKeys(found), ElementsAre("double-lock:13"));
  EXPECT_THAT(found[0].message, HasSubstr("`rm` is unlocked but `rebuild` does not hold it"));
}

TEST(LockLeak, RecursiveMutexLockedMoreOftenThanUnlocked) {
  EXPECT_THAT(keys("lock-leak", R"(#include <mutex>
#include <thread>
std::recursive_mutex rm;
int n;
void once_more() {
  rm.lock();
  rm.lock();
  ++n;
  rm.unlock();
}
int main() {
  std::thread t(once_more);
  t.join();
})"),
              ElementsAre("lock-leak:10"));
}

TEST(DoubleLock, SilentWhenACalleeOnTheWayReleasedTheLock) {
  EXPECT_THAT(keys("double-lock", R"(#include <mutex>
#include <unistd.h>
struct Db {
  std::mutex mu;
  int files = 0, writes = 0;
  int new_file() { std::lock_guard<std::mutex> g(mu); return ++files; }
  // Called with `mu` held: compacts without it (DoCompactionWork's shape).
  void compact() {
    mu.unlock();
    new_file();
    mu.lock();
  }
  void background() { compact(); }
  void run() { std::lock_guard<std::mutex> g(mu); background(); }
  // Drops `mu` around a sleep and takes it back (MakeRoomForWrite's shape).
  void make_room() {
    mu.unlock();
    usleep(100);
    mu.lock();
  }
  void write() { std::lock_guard<std::mutex> g(mu); make_room(); writes++; }
  void broken() { std::lock_guard<std::mutex> g(mu); new_file(); }
};)"),
              ElementsAre("double-lock:6"));
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

TEST(WaitWithoutLock, WaitWrapperJudgedAtItsCallSites) {
  EXPECT_THAT(keys("wait-without-lock", R"(#include <pthread.h>
// LevelDB's port::Mutex and port::CondVar.
class Mutex {
public:
  void Lock() { pthread_mutex_lock(&mu_); }
  void Unlock() { pthread_mutex_unlock(&mu_); }
private:
  friend class CondVar;
  pthread_mutex_t mu_;
};
class CondVar {
public:
  explicit CondVar(Mutex *mu) : mu_(mu) {}
  void Wait() { pthread_cond_wait(&cv_, &mu_->mu_); }
private:
  pthread_cond_t cv_;
  Mutex *mu_;
};
Mutex mutex;
CondVar done(&mutex);
bool finished;
void await_done() {
  mutex.Lock();
  while (!finished) done.Wait();
  mutex.Unlock();
}
void careless() {
  while (!finished) done.Wait();
})"),
              ElementsAre("wait-without-lock:28"));
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
              ElementsAre("blocking-under-lock:11", "blocking-under-lock:12", "blocking-under-lock:13",
                          "blocking-under-lock:17"));
}

TEST(BlockingUnderLock, SilentWhenTheCalleeDropsTheCallersLockFirst) {
  EXPECT_THAT(keys("blocking-under-lock", R"(#include <mutex>
#include <unistd.h>
std::mutex mu;
int size;
// Called with `mu` held (LevelDB's MakeRoomForWrite): sleeps without it.
void make_room() {
  while (size > 10) {
    mu.unlock();
    usleep(1000);
    mu.lock();
  }
}
void slow() { usleep(1000); }
void put() {
  std::lock_guard<std::mutex> g(mu);
  make_room();
  size++;
}
void stall() { std::lock_guard<std::mutex> g(mu); slow(); }
)"),
              ElementsAre("blocking-under-lock:19"));
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

TEST(ThreadNotJoined, PthreadCopiedToAnotherLocal) {
  EXPECT_THAT(keys("thread-not-joined", R"(#include <pthread.h>
static void *body(void *arg) { return arg; }
void forgotten_copy(void) {
  pthread_t last;
  for (int i = 0; i < 3; ++i) {
    pthread_t t;
    pthread_create(&t, 0, body, 0);
    last = t;
  }
  (void)last;
}
void joined_copy(void) {
  pthread_t t;
  pthread_create(&t, 0, body, 0);
  pthread_t copy = t;
  pthread_join(copy, 0);
}
void handed_copy(pthread_t *out) {
  pthread_t t;
  pthread_create(&t, 0, body, 0);
  pthread_t copy;
  copy = t;
  *out = copy;
}
)",
                   Language::C),
              ElementsAre("thread-not-joined:7"));
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

TEST(LivelockRetry, GuardReleasedAtTheEndOfEachRound) {
  EXPECT_THAT(keys("livelock-retry", R"(#include <chrono>
#include <mutex>
std::timed_mutex disk, net;
void disk_to_net() {
  for (int round = 0; round < 100; ++round) {
    std::unique_lock<std::timed_mutex> held(disk);
    if (net.try_lock_for(std::chrono::milliseconds(1))) { net.unlock(); return; }
  }
}
void net_to_disk() {
  for (int round = 0; round < 100; ++round) {
    std::unique_lock<std::timed_mutex> held(net);
    if (disk.try_lock_for(std::chrono::milliseconds(1))) { disk.unlock(); return; }
  }
}
)"),
              ElementsAre("livelock-retry:7", "livelock-retry:13"));
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
                           [](const auto& check) { return check->id() == "lock-leak"; }));
  EXPECT_EQ(checks.size() + 1, allChecks().size());
}

}  // namespace
}  // namespace conc::lint::test
