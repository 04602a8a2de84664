// The checks on small programs: what they report and, as much, what they
// must not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_support.h"

namespace conc::lint::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(UnguardedAccess, CounterWrittenByTwoThreads) {
  auto found = findings(R"(#include <pthread.h>
static long counter;
static void *worker(void *arg) {
  counter++;
  return arg;
}
int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], 0, worker, 0);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], 0);
  return (int)counter;
})",
                        Language::C);
  EXPECT_THAT(findingKeys(found), ElementsAre("unguarded-access:4"));
  EXPECT_THAT(found[0].message, HasSubstr("`counter` is written by threads started at"));
}

TEST(UnguardedAccess, GuardedInOnePlaceOnly) {
  auto found = findings(R"(#include <mutex>
#include <thread>
std::mutex mu;
long balance;
void deposit() { std::lock_guard<std::mutex> g(mu); balance += 1; }
void peek() { long seen = balance; (void)seen; }
int main() { std::thread a(deposit), b(peek); a.join(); b.join(); })");
  EXPECT_THAT(findingKeys(found), ElementsAre("unguarded-access:6"));
  EXPECT_THAT(found[0].message, HasSubstr("`balance` is guarded by `mu` at input.cc:5 but not here"));
  ASSERT_FALSE(found[0].related.empty());
  EXPECT_EQ(found[0].related[0].loc.line, 5u);
}

TEST(UnguardedAccess, SilentForLocksAtomicsThreadLocalsAndOrderedPhases) {
  EXPECT_THAT(findings(R"(#include <mutex>
#include <thread>
#include <atomic>
std::mutex mu;
std::atomic<long> hits;
thread_local long mine;
long total, before, after;
void work() { { std::lock_guard<std::mutex> g(mu); total++; } hits++; mine++; (void)before; }
int main() {
  before = 1;
  std::thread a(work), b(work);
  a.join(); b.join();
  after = total;
})"),
              IsEmpty());
}

TEST(UnguardedAccess, LookupsUnderASharedLockAreReads) {
  // find/at pick the non-const overload on a non-const map but write nothing,
  // so readers under a shared_lock race neither with each other nor with the
  // writer under the unique_lock; an insert under the shared lock does race.
  std::string program = R"(#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
std::shared_mutex mu;
std::map<int, int> cache;
int lookup(int k) { std::shared_lock<std::shared_mutex> l(mu); auto it = cache.find(k); return it == cache.end() ? cache.at(0) : it->second; }
void store(int k) { std::unique_lock<std::shared_mutex> l(mu); cache[k] = k; }
void sloppy(int k) { std::shared_lock<std::shared_mutex> l(mu); cache[k] = k; }
int main() {
  std::thread a(lookup, 1), b(lookup, 2), c(store, 3), d(WRITER, 4);
  a.join(); b.join(); c.join(); d.join();
})";
  auto replaced = [&](const std::string& writer) {
    std::string text = program;
    for (size_t at; (at = text.find("WRITER")) != std::string::npos;) text.replace(at, 6, writer);
    return text;
  };
  EXPECT_THAT(findings(replaced("store")), IsEmpty());
  EXPECT_THAT(findingKeys(findings(replaced("sloppy"))), Contains("unguarded-access:9"));
}

TEST(UnguardedAccess, MainBetweenStartAndJoinRacesWithItsThreads) {
  EXPECT_THAT(findingKeys(findings(R"(#include <thread>
long progress;
void work() { progress = 1; }
int main() {
  std::thread t(work);
  long seen = progress;
  t.join();
  return (int)seen;
})")),
              ElementsAre("unguarded-access:3", "unguarded-access:6"));
}

TEST(UnguardedAccess, ObjectsOwnedByOneThreadAreNotShared) {
  EXPECT_THAT(findings(R"(#include <thread>
struct Counter { long n = 0; void inc() { ++n; } };
void work() { Counter mine; mine.inc(); }
int main() { std::thread a(work), b(work); a.join(); b.join(); })"),
              IsEmpty());
}

// A start routine that calls the user's function through a pointer (the
// shape of LevelDB's Env::Schedule and StartThread): the function handed
// over runs in the thread.
TEST(UnguardedAccess, CallbackRunByAThreadThroughAFunctionPointer) {
  auto found = findings(R"(#include <pthread.h>
struct job { void (*run)(void *); void *arg; };
static void *trampoline(void *state) {
  struct job *j = (struct job *)state;
  j->run(j->arg);
  return 0;
}
static long hits;
static void count(void *arg) { (void)arg; hits++; }
static int compare(const void *a, const void *b) { hits++; return a != b; }
static void sort_later(int (*cmp)(const void *, const void *)) { (void)cmp; }
static struct job make_job(void (*run)(void *), void *arg) { struct job j = {run, arg}; return j; }
int main(void) {
  pthread_t t;
  struct job j = make_job(count, 0);
  pthread_create(&t, 0, trampoline, &j);
  sort_later(compare);
  long seen = hits;
  pthread_join(t, 0);
  return (int)seen;
})",
                        Language::C);
  // `compare` is handed over too, but no thread calls an int(const void *,
  // const void *) through a pointer.
  EXPECT_THAT(findingKeys(found), ElementsAre("unguarded-access:9", "unguarded-access:18"));
}

// Tasks queued as std::function and run by a pool's worker threads race with
// each other; a single background thread runs its queue one task at a time.
TEST(UnguardedAccess, PoolTasksRaceOnlyWhenSeveralWorkersRunThem) {
  const char* pool = R"(#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>
class Pool {
 public:
  explicit Pool(int n) { for (int i = 0; i < n; ++i) workers_.emplace_back([this] { work(); }); }
  ~Pool() { for (auto &w : workers_) w.join(); }
  void submit(std::function<void()> task) { std::lock_guard<std::mutex> g(mu_); tasks_.push_back(std::move(task)); }
 private:
  void work() {
    std::function<void()> task;
    { std::lock_guard<std::mutex> g(mu_); task = std::move(tasks_.front()); tasks_.pop_front(); }
    task();
  }
  std::mutex mu_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> workers_;
};
long done;
)";
  EXPECT_THAT(findingKeys(findings(std::string(pool) + R"(int main() {
  Pool pool(4);
  for (int i = 0; i < 10; ++i) pool.submit([] { done++; });
})")),
              ElementsAre("unguarded-access:24"));
  std::string serial = pool;
  std::string loop = "for (int i = 0; i < n; ++i) ";
  serial.replace(serial.find(loop), loop.size(), "(void)n; ");
  EXPECT_THAT(findings(serial + R"(int main() {
  Pool pool(1);
  for (int i = 0; i < 10; ++i) pool.submit([] { done++; });
})"),
              IsEmpty());
}

TEST(UnguardedAccess, WriteUnderAReadLockIsNotExcusedByComputedIndices) {
  std::string code = R"(#include <pthread.h>
static long slots[64];
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static void *fill(void *arg) {
  int key = (int)(long)arg;
  TAKE(&rw);
  if (slots[key] == 0) slots[key] = key;
  pthread_rwlock_unlock(&rw);
  return 0;
}
int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], 0, fill, (void *)(long)i);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], 0);
  return 0;
})";
  auto with = [&](const std::string& lock) {
    std::string program = code;
    program.replace(program.find("TAKE"), 4, lock);
    return findingKeys(findings(program, Language::C));
  };
  EXPECT_THAT(with("pthread_rwlock_rdlock"), ElementsAre("unguarded-access:7"));
  EXPECT_THAT(with("pthread_rwlock_wrlock"), IsEmpty());
}

// Threads fill slots of their own (`slots[id]`: no race), but an index
// taken modulo the slot count reaches a neighbour's slot, directly or through
// a local, so it conflicts with the neighbour's writes.
TEST(UnguardedAccess, RingIndicesReachANeighboursSlot) {
  std::string code = R"(#include <pthread.h>
static int slots[3][8];
static long sums[3];
static void *work(void *arg) {
  int id = *(int *)arg;
  for (int i = 0; i < 8; ++i) slots[id][i] = i;
  NEIGHBOUR
  long sum = 0;
  for (int i = 0; i < 8; ++i) sum += READ;
  sums[id] = sum;
  return 0;
}
int main(void) {
  static int ids[3] = {0, 1, 2};
  pthread_t t[3];
  for (int i = 0; i < 3; ++i) pthread_create(&t[i], 0, work, &ids[i]);
  for (int i = 0; i < 3; ++i) pthread_join(t[i], 0);
  return 0;
})";
  auto with = [&](const std::string& neighbour, const std::string& read) {
    std::string program = code;
    program.replace(program.find("NEIGHBOUR"), 9, neighbour);
    program.replace(program.find("READ"), 4, read);
    return findingKeys(findings(program, Language::C));
  };
  EXPECT_THAT(with("", "slots[id][i]"), IsEmpty());
  EXPECT_THAT(with("", "slots[(id + 1) % 3][i]"), ElementsAre("unguarded-access:6", "unguarded-access:9"));
  EXPECT_THAT(with("int right = (id + 1) % 3;", "slots[right][i]"),
              ElementsAre("unguarded-access:6", "unguarded-access:9"));
  // A local that no longer holds its modulo initializer is not followed.
  EXPECT_THAT(with("int own = (id + 1) % 3; own = id;", "slots[own][i]"), IsEmpty());
}

// A struct handed to every worker through pthread_create's argument: the
// fields the workers reach through `arg` (or a local initialized from it)
// are the one object's, named through the starter's pointer.
std::string tallyProgram(const std::string& worker, const std::string& mainBody) {
  return R"(#include <pthread.h>
#include <stdlib.h>
struct tally { long words; long lines; pthread_mutex_t mu; };
static pthread_mutex_t global_mu = PTHREAD_MUTEX_INITIALIZER;
static void *count(void *arg) {
  struct tally *tally = arg;
)" + worker +
         R"(
  return 0;
}
static void *peek(void *arg) {
  return (void *)((struct tally *)arg)->words;
}
int main(void) {
  pthread_t t[2];
)" + mainBody +
         R"(
  return 0;
})";
}

TEST(UnguardedAccess, StructSharedThroughTheThreadArgumentInALoop) {
  auto found = findings(tallyProgram("  tally->words += 8;\n  tally->lines++;",
                                     R"(  struct tally *tally = calloc(1, sizeof *tally);
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], 0, count, tally);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], 0);
  free(tally);)"),
                        Language::C);
  ASSERT_THAT(findingKeys(found), ElementsAre("unguarded-access:7", "unguarded-access:8"));
  EXPECT_THAT(found[0].message, HasSubstr("`tally->words` is written by threads started at input.c:17"));
}

TEST(UnguardedAccess, StructSharedThroughTheThreadArgumentOfTwoStarts) {
  // Two starts of one entry with the same pointer, and a reader started with
  // it too; main's own write while they run races as well.
  auto found = findings(tallyProgram("  tally->words += 8;",
                                     R"(  struct tally *tally;
  tally = calloc(1, sizeof *tally);
  pthread_create(&t[0], 0, count, tally);
  pthread_create(&t[1], 0, count, (void *)tally);
  pthread_t reader;
  pthread_create(&reader, 0, peek, tally);
  tally->words = 1;
  pthread_join(t[0], 0);
  pthread_join(t[1], 0);
  pthread_join(reader, 0);
  free(tally);)"),
                        Language::C);
  EXPECT_THAT(findingKeys(found),
              ElementsAre("unguarded-access:7", "unguarded-access:11", "unguarded-access:21"));
  // A local object handed by address, and main writing a field meanwhile.
  EXPECT_THAT(findingKeys(findings(tallyProgram("  tally->lines++;",
                                                R"(  struct tally shared = {0};
  pthread_create(&t[0], 0, count, &shared);
  shared.lines = 2;
  pthread_join(t[0], 0);)"),
                                   Language::C)),
              ElementsAre("unguarded-access:7", "unguarded-access:17"));
}

TEST(UnguardedAccess, SilentForThreadArgumentsEachThreadOwnsOrGuardsOrOnlyReads) {
  auto keys = [](const std::string& worker, const std::string& mainBody) {
    return findingKeys(findings(tallyProgram(worker, mainBody), Language::C));
  };
  const std::string writes = "  tally->words += 8;\n  tally->lines++;";
  const std::string joins = "\n  for (int i = 0; i < 2; ++i) pthread_join(t[i], 0);";
  // Each thread its own object: an array element, a fresh allocation per
  // iteration (declared in the loop or outside), two locals.
  EXPECT_THAT(keys(writes, R"(  struct tally args[2] = {0};
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], 0, count, &args[i]);)" +
                               joins),
              IsEmpty());
  EXPECT_THAT(keys(writes, R"(  for (int i = 0; i < 2; ++i) {
    struct tally *mine = calloc(1, sizeof *mine);
    pthread_create(&t[i], 0, count, mine);
  })" + joins),
              IsEmpty());
  EXPECT_THAT(keys(writes, R"(  struct tally *mine;
  for (int i = 0; i < 2; ++i) {
    mine = calloc(1, sizeof *mine);
    pthread_create(&t[i], 0, count, mine);
  })" + joins),
              IsEmpty());
  EXPECT_THAT(keys(writes, R"(  struct tally a = {0}, b = {0};
  pthread_create(&t[0], 0, count, &a);
  pthread_create(&t[1], 0, count, &b);)" +
                               joins),
              IsEmpty());
  EXPECT_THAT(keys("  (void)tally;\n  long n = (long)arg; (void)n;",
                   "  for (int i = 0; i < 2; ++i) pthread_create(&t[i], 0, count, (void *)(long)i);" + joins),
              IsEmpty());
  // One object, but a common lock (the struct's own mutex, or a global one),
  // or only reads; main touches it before the first start and after the
  // last join only.
  const std::string shared = R"(  struct tally *tally = calloc(1, sizeof *tally);
  tally->words = 1;
  pthread_mutex_init(&tally->mu, 0);
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], 0, count, tally);)" +
                             joins + "\n  long words = tally->words;\n  (void)words;\n  free(tally);";
  EXPECT_THAT(
      keys("  pthread_mutex_lock(&tally->mu);\n" + writes + "\n  pthread_mutex_unlock(&tally->mu);", shared),
      IsEmpty());
  EXPECT_THAT(
      keys("  pthread_mutex_lock(&global_mu);\n" + writes + "\n  pthread_mutex_unlock(&global_mu);", shared),
      IsEmpty());
  EXPECT_THAT(keys("  long seen = tally->words + tally->lines;\n  (void)seen;", shared), IsEmpty());
  EXPECT_THAT(keys(writes, shared), ElementsAre("unguarded-access:7", "unguarded-access:8"));
}

// The pointer handed to the threads, passed on to a helper: the helper's
// fields are the object's too; a helper run on a thread's own local is not.
TEST(UnguardedAccess, StructSharedThroughTheThreadArgumentIsFollowedIntoCallees) {
  auto found = findings(R"(#include <pthread.h>
#include <stdlib.h>
struct tally { long words; };
static void add(struct tally *tally, long n) { tally->words += n; }
static void *count(void *arg) {
  add(arg, 8);
  return 0;
}
static void *own(void *arg) {
  struct tally mine = {0};
  add(&mine, 1);
  return arg;
}
int main(void) {
  struct tally *tally = calloc(1, sizeof *tally);
  pthread_t t[4];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], 0, count, tally);
  for (int i = 2; i < 4; ++i) pthread_create(&t[i], 0, own, 0);
  for (int i = 0; i < 4; ++i) pthread_join(t[i], 0);
  return 0;
})",
                        Language::C);
  ASSERT_THAT(findingKeys(found), ElementsAre("unguarded-access:4"));
  EXPECT_THAT(found[0].message, HasSubstr("`tally->words` is written by threads started at input.c:17"));
}

// A helper that runs one worker on a local object, called twice: each call's
// thread has its own object, however often the helper runs.
TEST(UnguardedAccess, SilentForALocalObjectOfEachCallOfTheStarter) {
  EXPECT_THAT(findingKeys(findings(R"(#include <pthread.h>
struct job { long result; };
static void *work(void *arg) {
  struct job *job = arg;
  job->result = 42;
  return 0;
}
static long run_one(void) {
  struct job job = {0};
  pthread_t t;
  pthread_create(&t, 0, work, &job);
  pthread_join(t, 0);
  return job.result;
}
int main(void) { return (int)(run_one() + run_one()); })",
                                   Language::C)),
              IsEmpty());
}

// A program forking with a counter in memory `setup` prepares (as `visits`,
// a `long *`, line 8), the child's and the parent's work given as code
// (lines 11 and 14); fork() at line 9.
std::string forkProgram(const std::string& setup, const std::string& child, const std::string& parent) {
  return R"(#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
long global_visits;
static void count(long *visits) { (*visits)++; }
int main(void) {
)" + setup +
         R"(
  pid_t child = fork();
  if (child == 0) {
)" + child +
         R"(
    _exit(0);
  }
)" + parent +
         R"(
  return 0;
})";
}

const char* const kSharedPage =
    "  long *visits = mmap(NULL, sizeof *visits, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);";

TEST(UnguardedAccess, SharedMappingWrittenByTheParentAndAForkedChild) {
  // Through a callee's pointer parameter, as in the corpus.
  auto found =
      findings(forkProgram(kSharedPage, "    count(visits);", "  count(visits);\n  waitpid(child, 0, 0);"),
               Language::C);
  ASSERT_THAT(findingKeys(found), ElementsAre("unguarded-access:6"));
  EXPECT_THAT(found[0].message, HasSubstr("`*visits` is written by the parent and a forked child process "
                                          "(fork() at input.c:9) without a lock"));
  EXPECT_THAT(found[0].related.back().message, HasSubstr("process-shared mutex"));
  // Directly in main, and a field of a struct in the shared page.
  EXPECT_THAT(
      findingKeys(findings(forkProgram(kSharedPage, "    (*visits)++;", "  *visits += 2;"), Language::C)),
      ElementsAre("unguarded-access:11", "unguarded-access:14"));
  EXPECT_THAT(findingKeys(findings(R"(#include <sys/mman.h>
#include <unistd.h>
struct page { long visits; };
int main(void) {
  struct page *page = mmap(0, sizeof *page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (fork() == 0) {
    page->visits++;
    _exit(0);
  }
  return (int)page->visits;
})",
                                   Language::C)),
              ElementsAre("unguarded-access:7", "unguarded-access:10"));
}

// Children forked in a loop race with each other; the parent reads once it
// has waited for them all, in a loop of its own.
TEST(UnguardedAccess, ChildrenForkedInALoopAndWaitedForInAnother) {
  auto found = findings(R"(#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
struct tally { long total; };
static void add(struct tally *tally) { tally->total++; }
int main(void) {
  struct tally *tally = mmap(0, sizeof *tally, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pid_t pids[4];
  for (int i = 0; i < 4; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      add(tally);
      _exit(0);
    }
    pids[i] = pid;
  }
  for (int i = 0; i < 4; ++i) waitpid(pids[i], 0, 0);
  return (int)tally->total;
})",
                        Language::C);
  ASSERT_THAT(findingKeys(found), ElementsAre("unguarded-access:5"));
  EXPECT_THAT(found[0].message, HasSubstr("`tally->total` is written by forked child processes (fork() at "
                                          "input.c:10) without a lock"));
}

TEST(UnguardedAccess, SilentAcrossForkForCopiedMemoryALockAndAfterTheWait) {
  auto keys = [](const std::string& setup, const std::string& child, const std::string& parent) {
    return findingKeys(findings(forkProgram(setup, child, parent), Language::C));
  };
  // fork() copies globals, the heap and private mappings: updated in both
  // processes (next to a shared page), they are not raced on.
  EXPECT_THAT(keys(kSharedPage, "    global_visits++;", "  global_visits++;\n  *visits = 1;"), IsEmpty());
  const std::string copies = std::string(kSharedPage) + R"(
  long *heap = malloc(sizeof *heap);
  long *mine = mmap(NULL, sizeof *mine, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);)";
  EXPECT_THAT(keys(copies, "    count(heap);\n    count(mine);", "  count(heap);\n  count(mine);"),
              IsEmpty());
  // The parent counts only once it has waited for the child.
  EXPECT_THAT(
      keys(kSharedPage, "    count(visits);", "  waitpid(child, 0, 0);\n  count(visits);\n  (*visits)++;"),
      IsEmpty());
}

TEST(LockOrderInversion, AbbaAcrossTwoThreads) {
  auto found = findings(R"(#include <mutex>
#include <thread>
std::mutex first, second;
void forward() {
  std::lock_guard<std::mutex> a(first);
  std::lock_guard<std::mutex> b(second);
}
void backward() {
  std::lock_guard<std::mutex> b(second);
  std::lock_guard<std::mutex> a(first);
}
int main() { std::thread t1(forward), t2(backward); t1.join(); t2.join(); })");
  EXPECT_THAT(findingKeys(found), ElementsAre("lock-order-inversion:6"));
  EXPECT_THAT(found[0].message, HasSubstr("`first` → `second` here, but `second` → `first` at input.cc:9"));
}

TEST(LockOrderInversion, MainAgainstItsOwnThread) {
  EXPECT_THAT(findingKeys(findings(R"(#include <mutex>
#include <thread>
std::mutex a, b;
void worker() { std::lock_guard<std::mutex> x(a); std::lock_guard<std::mutex> y(b); }
int main() {
  std::thread t(worker);
  { std::lock_guard<std::mutex> y(b); std::lock_guard<std::mutex> x(a); }
  t.join();
  std::lock_guard<std::mutex> y(b); std::lock_guard<std::mutex> x(a); // after the join: fine
})")),
              ElementsAre("lock-order-inversion:4"));
}

TEST(LockOrderInversion, ThroughCallsAndLockParameters) {
  auto found = findings(R"(#include <pthread.h>
pthread_mutex_t q = PTHREAD_MUTEX_INITIALIZER, l = PTHREAD_MUTEX_INITIALIZER;
static void take(pthread_mutex_t *m) { pthread_mutex_lock(m); pthread_mutex_unlock(m); }
static void *one(void *arg) { pthread_mutex_lock(&q); take(&l); pthread_mutex_unlock(&q); return arg; }
static void *two(void *arg) { pthread_mutex_lock(&l); take(&q); pthread_mutex_unlock(&l); return arg; }
int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, one, 0); pthread_create(&b, 0, two, 0);
  pthread_join(a, 0); pthread_join(b, 0);
})",
                        Language::C);
  ASSERT_THAT(findingKeys(found), ElementsAre("lock-order-inversion:3"));
  bool chainNoted = false;
  for (const RelatedLocation& related : found[0].related)
    chainNoted = chainNoted || related.message == "calls `take`";
  EXPECT_TRUE(chainNoted);
}

TEST(LockOrderInversion, SilentUnderGateLockSingleThreadAndTryLock) {
  EXPECT_THAT(findings(R"(#include <mutex>
#include <thread>
std::mutex gate, a, b, c, d;
void one() { std::lock_guard<std::mutex> g(gate); std::lock_guard<std::mutex> x(a); std::lock_guard<std::mutex> y(b); }
void two() { std::lock_guard<std::mutex> g(gate); std::lock_guard<std::mutex> y(b); std::lock_guard<std::mutex> x(a); }
void alone() {
  { std::lock_guard<std::mutex> x(c); std::lock_guard<std::mutex> y(d); }
  { std::lock_guard<std::mutex> y(d); std::lock_guard<std::mutex> x(c); }
}
void polite() {
  std::lock_guard<std::mutex> y(d);
  if (c.try_lock()) c.unlock();
}
int main() { std::thread t1(one), t2(two), t3(alone); t1.join(); t2.join(); t3.join(); std::thread t4(polite); t4.join(); })"),
              IsEmpty());
}

}  // namespace
}  // namespace conc::lint::test
