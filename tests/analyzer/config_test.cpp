// `.conc-lint.yaml`: parsing, errors with file and line, exclude matching.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "driver/config.h"

namespace conc::lint {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

const std::vector<std::string> kKnown = {"unguarded-access", "lock-order-inversion"};

ConfigResult parse(const char* text) { return parseConfig(text, "/repo/.conc-lint.yaml", kKnown); }

TEST(Config, ChecksExcludeAndFailOn) {
  ConfigResult result = parse(R"(# project settings
checks:
  lock-order-inversion: off
  unguarded-access: on
exclude: ["*_test.cc", "third_party/*"]
fail-on: error
)");
  ASSERT_EQ(result.error, "");
  const Config& config = result.config;
  EXPECT_THAT(config.checks,
              ElementsAre(Pair("lock-order-inversion", false), Pair("unguarded-access", true)));
  EXPECT_EQ(config.failOn, Severity::Error);
  EXPECT_EQ(config.root, "/repo");
  EXPECT_TRUE(config.excluded("/repo/src/db_test.cc"));        // by file name
  EXPECT_TRUE(config.excluded("/repo/third_party/z/lib.cc"));  // by relative path
  EXPECT_FALSE(config.excluded("/repo/src/third_party/lib.cc"));
  EXPECT_FALSE(config.excluded("/repo/src/db.cc"));
  EXPECT_FALSE(config.excluded("/elsewhere/db_test.cc"));
}

TEST(Config, EmptyFileIsAllDefaults) {
  ConfigResult result = parse("");
  EXPECT_EQ(result.error, "");
  EXPECT_TRUE(result.config.checks.empty());
  EXPECT_FALSE(result.config.failOn);
}

TEST(Config, ErrorsNameFileAndLine) {
  EXPECT_EQ(parse("checks:\n  unguarded-access: on\n  no-such-check: off\n").error,
            "/repo/.conc-lint.yaml:3: unknown check id (see the checks table in "
            "docs/conc-lint.md)");
  EXPECT_EQ(parse("fail-on: sometimes\n").error,
            "/repo/.conc-lint.yaml:1: fail-on takes note, warning or error");
  EXPECT_EQ(parse("exclude: \"*.cc\"\n").error, "/repo/.conc-lint.yaml:1: not a sequence");
  EXPECT_EQ(parse("checks:\n  unguarded-access: maybe\n").error, "/repo/.conc-lint.yaml:2: invalid boolean");
  EXPECT_EQ(parse("exclude: [\"[z-a]\"]\n").error, "/repo/.conc-lint.yaml:1: not a valid glob pattern");
  EXPECT_EQ(parse("colour: red\n").error, "/repo/.conc-lint.yaml:1: unknown key 'colour'");
  EXPECT_EQ(parse("checks: [\n").error.rfind("/repo/.conc-lint.yaml:1: ", 0), 0u);
}

}  // namespace
}  // namespace conc::lint
