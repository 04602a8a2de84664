// CONC_OPTIONS parsing: accepted forms and every rejection message.
#include <gtest/gtest.h>

#include <set>

#include "abi/options.h"

namespace conc::rt {
namespace {

TEST(Options, DefaultsForEmptyText) {
  ParsedOptions p = parse_options("");
  EXPECT_TRUE(p.error.empty());
  EXPECT_EQ(p.options.report_format, ReportFormat::Text);
  EXPECT_EQ(p.options.exitcode, 66);
  EXPECT_FALSE(p.options.halt_on_error);
  EXPECT_TRUE(p.options.report_path.empty());
}

TEST(Options, ColonAndSpaceSeparatedPairs) {
  ParsedOptions p = parse_options(
      "report_format=json:report_path=/tmp/x.jsonl exitcode=3  halt_on_error=1:"
      "suppressions=s.txt:symbolizer_path=/bin/sym");
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.options.report_format, ReportFormat::Json);
  EXPECT_EQ(p.options.report_path, "/tmp/x.jsonl");
  EXPECT_EQ(p.options.exitcode, 3);
  EXPECT_TRUE(p.options.halt_on_error);
  EXPECT_EQ(p.options.suppressions, "s.txt");
  EXPECT_EQ(p.options.symbolizer_path, "/bin/sym");
}

TEST(Options, LaterPairsOverrideEarlierOnes) {
  ParsedOptions p = parse_options("exitcode=3:exitcode=4:halt_on_error=1:halt_on_error=false");
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.options.exitcode, 4);
  EXPECT_FALSE(p.options.halt_on_error);
}

TEST(Options, UnknownKeyRejectsEverything) {
  ParsedOptions p = parse_options("exitcode=3:foo=1");
  EXPECT_EQ(p.error,
            "conc: CONC_OPTIONS: unknown option 'foo'; valid options: " + std::string(valid_option_names()));
  EXPECT_EQ(p.options.exitcode, 66);  // defaults, not half the string
}

TEST(Options, BadValues) {
  EXPECT_EQ(parse_options("exitcode=abc").error,
            "conc: CONC_OPTIONS: bad value 'abc' for option 'exitcode' (expected an integer from 0 to 255)");
  EXPECT_NE(parse_options("exitcode=256").error, "");
  EXPECT_NE(parse_options("exitcode=-1").error, "");
  EXPECT_NE(parse_options("exitcode=").error, "");
  EXPECT_EQ(parse_options("report_format=xml").error,
            "conc: CONC_OPTIONS: bad value 'xml' for option 'report_format' (expected text or json)");
  EXPECT_NE(parse_options("halt_on_error=yes").error, "");
  EXPECT_NE(parse_options("report_path=").error, "");
}

TEST(Options, LockStatisticsOptions) {
  ParsedOptions defaults = parse_options("");
  EXPECT_EQ(defaults.options.starvation_ms, 1000);
  EXPECT_EQ(defaults.options.livelock_ms, 1000);
  EXPECT_FALSE(defaults.options.contention_report);
  ParsedOptions p = parse_options("starvation_ms=0:livelock_ms=250:contention_report=1");
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.options.starvation_ms, 0);
  EXPECT_EQ(p.options.livelock_ms, 250);
  EXPECT_TRUE(p.options.contention_report);
  EXPECT_EQ(
      parse_options("starvation_ms=-5").error,
      "conc: CONC_OPTIONS: bad value '-5' for option 'starvation_ms' (expected milliseconds from 0 (off) to "
      "3600000)");
  EXPECT_NE(parse_options("contention_report=yes").error, "");
  EXPECT_EQ(defaults.options.max_threads, 10000);
  EXPECT_EQ(parse_options("max_threads=64").options.max_threads, 64);
  EXPECT_NE(parse_options("max_threads=many").error, "");
}

TEST(Options, MissingEquals) {
  EXPECT_EQ(parse_options("halt_on_error").error,
            "conc: CONC_OPTIONS: expected key=value, got 'halt_on_error'; valid options: " +
                std::string(valid_option_names()));
}

// conc-run builds its flags and --help from option_table(): every key the
// parser accepts (the list below) must be in it, and every entry must parse
// with a value of the kind it advertises.
TEST(Options, TableListsEveryOptionWithAValueItParses) {
  std::set<std::string_view> keys;
  for (const OptionInfo& o : option_table()) {
    keys.insert(o.key);
    EXPECT_TRUE(o.flag.starts_with("--")) << o.key;
    EXPECT_FALSE(o.help.empty()) << o.key;
    // A switch takes 0|1; "text|json" its first choice; a placeholder
    // (N, MS, FILE, PATH) a number, which is also a valid file name.
    std::string value = o.value.empty() ? "1" : std::string(o.value.substr(0, o.value.find('|')));
    if (value == std::string(o.value) &&
        value.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos)
      value = "5";
    EXPECT_EQ(parse_options(std::string(o.key) + "=" + value).error, "") << o.key;
  }
  EXPECT_EQ(keys, (std::set<std::string_view>{"report_format", "report_path", "exitcode", "halt_on_error",
                                              "suppressions", "symbolizer_path", "lock_analyses",
                                              "deadlock_timeout_ms", "deadlock_exit", "hang_timeout_ms",
                                              "starvation_ms", "livelock_ms", "contention_report",
                                              "max_threads", "lock_graph", "report_html", "verify"}));
}

}  // namespace
}  // namespace conc::rt
