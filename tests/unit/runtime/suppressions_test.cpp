// Suppressions: file syntax and ThreadSanitizer-style pattern matching.
#include <gtest/gtest.h>

#include "reports/suppressions.h"

namespace conc::rt {
namespace {

ReportView race_in(const std::string& function, const std::string& file) {
  ReportView r;
  r.kind = engine::ReportKind::DataRace;
  AccessView a;
  Frame f;
  f.function = function;
  f.file = file;
  f.module = "/bin/prog";
  a.stack = {f};
  r.accesses = {a, AccessView{}};
  return r;
}

ReportView cycle_in(const std::string& function) {
  ReportView r;
  r.kind = engine::ReportKind::LockOrderInversion;
  EdgeView e;
  Frame f;
  f.function = function;
  e.held_stack = {f};
  r.cycle = {e};
  return r;
}

TEST(Patterns, SubstringUnlessAnchored) {
  EXPECT_TRUE(pattern_matches("worker", "my_worker_fn"));
  EXPECT_TRUE(pattern_matches("^worker", "worker_fn"));
  EXPECT_FALSE(pattern_matches("^worker", "my_worker"));
  EXPECT_TRUE(pattern_matches("worker$", "my_worker"));
  EXPECT_FALSE(pattern_matches("worker$", "worker_fn"));
  EXPECT_TRUE(pattern_matches("^exact$", "exact"));
  EXPECT_FALSE(pattern_matches("^exact$", "exactly"));
}

TEST(Patterns, Star) {
  EXPECT_TRUE(pattern_matches("leveldb::*Skip*", "leveldb::SkipList<K>::Insert"));
  EXPECT_TRUE(pattern_matches("^src/*.c$", "src/a/b.c"));
  EXPECT_FALSE(pattern_matches("^src/*.c$", "src/a/b.cc"));
  EXPECT_TRUE(pattern_matches("*", "anything"));
}

TEST(Suppressions, ParsesKindsCommentsAndBadLines) {
  std::vector<std::string> errors;
  Suppressions s = Suppressions::parse(
      "# comment\n\nrace:worker  # trailing\ndeadlock:transfer\nfoo:bar\nrace:\n", errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0],
            "line 5: expected TYPE:PATTERN (race, deadlock, abandoned-lock, mutex-misuse, thread-leak, hang, "
            "starvation, livelock), got 'foo:bar'");
  EXPECT_NE(errors[1].find("line 6"), std::string::npos);
  EXPECT_TRUE(s.suppresses(race_in("worker", "a.c")));
  EXPECT_FALSE(s.suppresses(race_in("main", "a.c")));
  EXPECT_TRUE(s.suppresses(cycle_in("transfer()")));
  // Kinds do not leak into each other.
  EXPECT_FALSE(s.suppresses(cycle_in("worker")));
  EXPECT_FALSE(s.suppresses(race_in("transfer", "b.c")));
}

TEST(Suppressions, StarvationAndLivelockHaveTheirOwnTypes) {
  std::vector<std::string> errors;
  Suppressions s = Suppressions::parse("starvation:greedy_worker\nlivelock:polite_worker\n", errors);
  EXPECT_TRUE(errors.empty());
  ReportView starved;
  starved.kind = engine::ReportKind::Starvation;
  starved.events.push_back({1, "waits", 0x10, {{0x1, "greedy_worker", "a.cpp", 3, 1, "/bin/p", 0x1}}});
  EXPECT_TRUE(s.suppresses(starved));
  starved.kind = engine::ReportKind::Livelock;
  EXPECT_FALSE(s.suppresses(starved));
  starved.events[0].stack[0].function = "polite_worker";
  EXPECT_TRUE(s.suppresses(starved));
}

TEST(Suppressions, MatchesFilesAndModules) {
  std::vector<std::string> errors;
  Suppressions s = Suppressions::parse("race:third_party/*.c\nrace:^/bin/prog$\n", errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_TRUE(s.suppresses(race_in("f", "/src/third_party/zlib/inflate.c")));
  Suppressions by_module = Suppressions::parse("race:^/bin/prog$\n", errors);
  EXPECT_TRUE(by_module.suppresses(race_in("f", "x.c")));
  EXPECT_TRUE(Suppressions::parse("", errors).empty());
}

}  // namespace
}  // namespace conc::rt
