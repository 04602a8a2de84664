// Clang's thread-safety attributes: GUARDED_BY names the lock in messages and
// spares the side that holds it, REQUIRES seeds the entry lockset, and
// ACQUIRE/RELEASE/TRY_ACQUIRE functions and SCOPED_CAPABILITY classes are
// lock operations whatever their names.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_support.h"

namespace conc::lint::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const char* const kAttributes = R"(
#include <mutex>
#include <thread>
#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define PT_GUARDED_BY(x) __attribute__((pt_guarded_by(x)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define TRY_ACQUIRE(...) __attribute__((try_acquire_capability(__VA_ARGS__)))
#define CAPABILITY __attribute__((capability("mutex")))
#define ACQUIRED_AFTER(...) __attribute__((acquired_after(__VA_ARGS__)))
#define ACQUIRED_BEFORE(...) __attribute__((acquired_before(__VA_ARGS__)))
#define SCOPED_CAPABILITY __attribute__((scoped_lockable))
)";

std::string annotated(const std::string& code) { return kAttributes + code; }

// The line of `code` within the annotated snippet.
std::string at(const std::string& check, unsigned line) {
  unsigned header = 0;
  for (const char* c = kAttributes; *c; ++c) header += *c == '\n';
  return check + ":" + std::to_string(header + line);
}

TEST(Annotations, GuardedByNamesTheLockInTheMessage) {
  auto found = findings(annotated(R"(std::mutex mu;
long balance GUARDED_BY(mu);
void deposit() { std::lock_guard<std::mutex> g(mu); balance += 1; }
void peek() { long seen = balance; (void)seen; }
int main() { std::thread a(deposit), b(peek); a.join(); b.join(); }
)"));
  EXPECT_THAT(findingKeys(found), ElementsAre(at("unguarded-access", 4)));
  EXPECT_THAT(found[0].message, HasSubstr("`balance` is guarded by `mu` (GUARDED_BY) but not here"));
}

TEST(Annotations, TheSideHoldingTheAnnotatedLockIsNotReported) {
  auto found = findings(annotated(R"(std::mutex mu, other;
int x GUARDED_BY(mu);
void right() { std::lock_guard<std::mutex> g(mu); x++; }
void wrong() { std::lock_guard<std::mutex> g(other); x++; }
int main() { std::thread a(right), b(wrong); a.join(); b.join(); }
)"));
  EXPECT_THAT(findingKeys(found), ElementsAre(at("unguarded-access", 4)));
  EXPECT_THAT(found[0].message, HasSubstr("guarded by `mu` (GUARDED_BY) but by `other` here"));
}

TEST(Annotations, NoConflictNoFinding) {
  // The precision bar stays: an annotated variable only one thread touches is fine.
  EXPECT_THAT(findings(annotated(R"(std::mutex mu;
int x GUARDED_BY(mu);
void only() { x++; }
int main() { std::thread a(only); a.join(); }
)")),
              IsEmpty());
}

TEST(Annotations, PtGuardedByGuardsWhatThePointerPointsTo) {
  const char* code = R"(std::mutex mu;
long *slots PT_GUARDED_BY(mu);
void fill() { std::lock_guard<std::mutex> g(mu); slots[0] = 1; }
void peek() { PEEK_LOCK long seen = *slots; (void)seen; }
int main() { std::thread a(fill), b(peek); a.join(); b.join(); })";
  auto found = findings(annotated("#define PEEK_LOCK\n" + std::string(code)));
  EXPECT_THAT(findingKeys(found), ElementsAre(at("unguarded-access", 5)));
  ASSERT_FALSE(found.empty());
  EXPECT_THAT(found[0].message, HasSubstr("`*slots` is guarded by `mu` (PT_GUARDED_BY) but not here"));
  EXPECT_THAT(
      findings(annotated("#define PEEK_LOCK std::lock_guard<std::mutex> g(mu);\n" + std::string(code))),
      IsEmpty());
}

// Declared orders: taking b while holding a is an inversion when a must come
// after b, even though no code takes them the other way.
TEST(Annotations, AcquisitionAgainstTheDeclaredOrder) {
  auto found = findings(annotated(R"(struct CAPABILITY Lock {
  void Enter() ACQUIRE();
  void Leave() RELEASE();
};
Lock a;
Lock b ACQUIRED_AFTER(a);
Lock c;
Lock d ACQUIRED_BEFORE(c);
Lock e;
Lock f ACQUIRED_AFTER(e);
void wrong_after() { b.Enter(); a.Enter(); a.Leave(); b.Leave(); }
void wrong_before() { c.Enter(); d.Enter(); d.Leave(); c.Leave(); }
void right() { e.Enter(); f.Enter(); f.Leave(); e.Leave(); }
int main() {
  std::thread t1(wrong_after), t2(wrong_before), t3(right);
  t1.join(); t2.join(); t3.join();
})"));
  EXPECT_THAT(findingKeys(found),
              ElementsAre(at("lock-order-inversion", 11), at("lock-order-inversion", 12)));
  ASSERT_FALSE(found.empty());
  EXPECT_THAT(found[0].message,
              HasSubstr("`b` → `a` here, but `a` is declared to be acquired before `b` at input.cc:"));
}

TEST(Annotations, RequiresMeansHeldOnEntry) {
  auto program = summarize(annotated(R"(struct Account {
  std::mutex mu;
  int balance;
  void add() REQUIRES(mu) { balance++; }
};
)"));
  auto accesses = accessesTo(function(program, "Account::add"), "Account::balance");
  ASSERT_EQ(accesses.size(), 1u);
  EXPECT_THAT(lockNames(accesses[0].held), ElementsAre("Account::mu"));
}

TEST(Annotations, AcquireReleaseAndTryAcquireFunctions) {
  auto program = summarize(annotated(R"(struct CAPABILITY Spin {
  void Enter() ACQUIRE();
  void Leave() RELEASE();
  bool Attempt() TRY_ACQUIRE(true);
};
Spin spin;
void enter_spin() ACQUIRE(spin);
void take(Spin *s) ACQUIRE(s);
void give(Spin *s) RELEASE(s);
int n;
void members() { spin.Enter(); n = 1; spin.Leave(); n = 2; }
void globals() { enter_spin(); n = 3; give(&spin); }
void params() { take(&spin); n = 4; give(&spin); }
void tries() { if (spin.Attempt()) { n = 5; spin.Leave(); } }
)"));
  auto locksAt = [&](const char* fn) {
    std::vector<std::vector<std::string>> sets;
    for (const Access& access : accessesTo(function(program, fn), "n"))
      sets.push_back(lockNames(access.held));
    return sets;
  };
  using Sets = std::vector<std::vector<std::string>>;
  EXPECT_EQ(locksAt("members"), (Sets{{"spin"}, {}}));
  EXPECT_EQ(locksAt("globals"), (Sets{{"spin"}}));
  EXPECT_EQ(locksAt("params"), (Sets{{"spin"}}));
  EXPECT_EQ(locksAt("tries"), (Sets{{"spin"}}));
}

TEST(Annotations, ScopedCapabilityClassIsAGuard) {
  auto program = summarize(annotated(R"(struct CAPABILITY Spin { void Enter(); void Leave(); };
class SCOPED_CAPABILITY Hold {
public:
  explicit Hold(Spin *s) ACQUIRE(s) : s_(s) { s_->Enter(); }
  ~Hold() RELEASE() { s_->Leave(); }
private:
  Spin *s_;
};
Spin spin;
int n;
void f() { { Hold h(&spin); n = 1; } n = 2; }
)"));
  std::vector<std::vector<std::string>> sets;
  for (const Access& access : accessesTo(function(program, "f"), "n")) sets.push_back(lockNames(access.held));
  EXPECT_EQ(sets, (std::vector<std::vector<std::string>>{{"spin"}, {}}));
}

}  // namespace
}  // namespace conc::lint::test
