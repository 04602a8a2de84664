// End-to-end: the built conc-lint on the files under inputs/, checking exit
// codes, each output format, bad input and compile databases.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/raw_ostream.h>

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct LintRun {
  int exitCode = -1;
  std::string out, err;
};

std::string input(llvm::StringRef name) { return std::string(CONC_LINT_INPUTS) + "/" + name.str(); }

std::string slurp(llvm::StringRef file) {
  auto buffer = llvm::MemoryBuffer::getFile(file);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

LintRun lint(std::vector<std::string> args) {
  llvm::SmallString<128> out, err;
  llvm::sys::fs::createTemporaryFile("conc-lint-out", "txt", out);
  llvm::sys::fs::createTemporaryFile("conc-lint-err", "txt", err);
  std::vector<llvm::StringRef> argv = {CONC_LINT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(out), llvm::StringRef(err)};
  LintRun run;
  run.exitCode = llvm::sys::ExecuteAndWait(CONC_LINT_BINARY, argv, std::nullopt, redirects);
  run.out = slurp(out);
  run.err = slurp(err);
  llvm::sys::fs::remove(out);
  llvm::sys::fs::remove(err);
  return run;
}

// "check:file-name:line" for every finding of a JSON report.
std::vector<std::string> findingKeys(const std::string& json) {
  std::vector<std::string> keys;
  auto parsed = llvm::json::parse(json);
  EXPECT_TRUE(bool(parsed)) << json;
  if (!parsed) return keys;
  for (const llvm::json::Value& finding : *parsed->getAsObject()->getArray("findings")) {
    const llvm::json::Object* object = finding.getAsObject();
    keys.push_back(object->getString("check")->str() + ":" +
                   llvm::sys::path::filename(*object->getString("file")).str() + ":" +
                   std::to_string(*object->getInteger("line")));
  }
  return keys;
}

// A scratch folder that removes itself.
struct TempDir {
  TempDir() { llvm::sys::fs::createUniqueDirectory("conc-lint-e2e", path); }
  ~TempDir() { llvm::sys::fs::remove_directories(path); }
  std::string file(llvm::StringRef name, llvm::StringRef text) const {
    llvm::SmallString<256> full(path);
    llvm::sys::path::append(full, name);
    std::error_code ec;
    llvm::raw_fd_ostream(full, ec) << text;
    return std::string(full);
  }
  llvm::SmallString<256> path;
};

TEST(EndToEnd, TextReportWithCaretAndExitOne) {
  LintRun run = lint({"--color=never", input("race.c")});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_THAT(run.out, HasSubstr("race.c:8:3: warning: `counter` is written by threads started "
                                 "at race.c:15 without a lock [unguarded-access]\n"
                                 "  counter++;\n  ^\n"));
  EXPECT_THAT(run.out, HasSubstr("race.c:15:5: note: thread running `worker` started here"));
  EXPECT_THAT(run.err, HasSubstr("no compile_commands.json found"));
}

TEST(EndToEnd, CleanProgramExitsZero) {
  LintRun run = lint({"--format=json", input("clean.cpp")});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_THAT(findingKeys(run.out), IsEmpty());
}

TEST(EndToEnd, FailOnThreshold) {
  EXPECT_EQ(lint({"--fail-on=error", input("race.c")}).exitCode, 0);
  EXPECT_EQ(lint({"--fail-on=note", input("race.c")}).exitCode, 1);
}

TEST(EndToEnd, JsonAndSarifReports) {
  LintRun json = lint({"--format=json", input("race.c")});
  EXPECT_THAT(findingKeys(json.out), ElementsAre("unguarded-access:race.c:8"));
  auto parsed = llvm::json::parse(json.out);
  ASSERT_TRUE(bool(parsed));
  const llvm::json::Object* stats = parsed->getAsObject()->getObject("stats");
  EXPECT_EQ(stats->getInteger("translation_units"), 1);
  EXPECT_EQ(stats->getInteger("findings"), 1);

  LintRun sarif = lint({"--format=sarif", input("race.c")});
  auto log = llvm::json::parse(sarif.out);
  ASSERT_TRUE(bool(log)) << sarif.out;
  EXPECT_EQ(log->getAsObject()->getString("version"), "2.1.0");
  const llvm::json::Object* run = (*log->getAsObject()->getArray("runs"))[0].getAsObject();
  const llvm::json::Object* result = (*run->getArray("results"))[0].getAsObject();
  EXPECT_EQ(result->getString("ruleId"), "unguarded-access");
}

TEST(EndToEnd, OutputFile) {
  TempDir dir;
  std::string report = dir.file("report.json", "");
  LintRun run = lint({"--format=json", "--output", report, input("race.c")});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_THAT(run.out, IsEmpty());
  EXPECT_THAT(findingKeys(slurp(report)), ElementsAre("unguarded-access:race.c:8"));
}

TEST(EndToEnd, BrokenFileIsNamedAndOthersStillAnalyzed) {
  LintRun run = lint({"--format=json", input("broken.c"), input("race.c")});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_THAT(run.err,
              ::testing::ContainsRegex("broken.c: could not be parsed \\([0-9]+ errors?\\); skipped"));
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr("missing_variable")));  // no clang spew
  EXPECT_THAT(findingKeys(run.out), ElementsAre("unguarded-access:race.c:8"));
  EXPECT_THAT(lint({"--verbose", input("broken.c")}).err, HasSubstr("missing_variable"));
}

TEST(EndToEnd, NothingAnalyzableOrMissingPathExitsTwo) {
  LintRun missing = lint({input("no-such-file.c")});
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_THAT(missing.err, HasSubstr("no-such-file.c: no such file or directory"));
  EXPECT_EQ(lint({input("broken.c")}).exitCode, 2);
  EXPECT_EQ(lint({"--format=yaml", input("race.c")}).exitCode, 2);
  EXPECT_EQ(lint({}).exitCode, 2);
}

TEST(EndToEnd, CompileDatabaseIsUsed) {
  TempDir dir;
  std::string source = dir.file("flagged.c", slurp(input("with_database/flagged.c")));
  // Without a database the defaults apply: the lock is taken, no race.
  EXPECT_THAT(findingKeys(lint({"--format=json", source}).out), IsEmpty());
  dir.file("compile_commands.json",
           "[{\"directory\": \"" + dir.path.str().str() +
               "\", \"command\": \"cc -DSHARE_WITHOUT_LOCK -c flagged.c -o flagged.o\", "
               "\"file\": \"flagged.c\"}]");
  LintRun run = lint({"--format=json", dir.path.str().str()});
  EXPECT_THAT(findingKeys(run.out), ElementsAre("unguarded-access:flagged.c:12"));
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr("no compile_commands.json")));
  EXPECT_THAT(findingKeys(lint({"--format=json", "-p", dir.path.str().str(), source}).out),
              ElementsAre("unguarded-access:flagged.c:12"));
}

// Warnings never stop the analysis, even under the project's -Werror;
// conc-lint only looks for them when --verbose shows them.
TEST(EndToEnd, WarningsAreIgnoredUnlessVerbose) {
  TempDir dir;
  dir.file("race.c", slurp(input("race.c")) + "int unused_result(void) { int unused; return 0; }\n");
  dir.file("compile_commands.json", "[{\"directory\": \"" + dir.path.str().str() +
                                        "\", \"command\": \"cc -Wall -Werror -c race.c -o race.o\", "
                                        "\"file\": \"race.c\"}]");
  LintRun run = lint({"--format=json", dir.path.str().str()});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr("could not be parsed")));
  EXPECT_THAT(findingKeys(run.out), ElementsAre("unguarded-access:race.c:8"));
  LintRun verbose = lint({"--verbose", "--format=json", dir.path.str().str()});
  EXPECT_THAT(verbose.err, HasSubstr("unused variable 'unused'"));
}

TEST(EndToEnd, BadCompileDatabases) {
  TempDir dir;
  dir.file("ok.c", "int main(void) { return 0; }\n");
  dir.file("compile_commands.json", "[{\"directory\": ");
  LintRun malformed = lint({dir.path.str().str()});
  EXPECT_EQ(malformed.exitCode, 2);
  EXPECT_THAT(malformed.err, HasSubstr("compile_commands.json: unusable compile database"));

  dir.file("compile_commands.json", "[{\"directory\": \"" + dir.path.str().str() +
                                        "\", \"command\": \"cc -c gone.c\", \"file\": \"gone.c\"}]");
  LintRun stale = lint({dir.path.str().str()});
  EXPECT_THAT(stale.err, HasSubstr("entry for missing file"));
  EXPECT_EQ(stale.exitCode, 0);  // ok.c was still analyzed

  LintRun noDatabase = lint({"-p", "/nonexistent-dir", dir.path.str().str()});
  EXPECT_EQ(noDatabase.exitCode, 2);
}

TEST(EndToEnd, RaceAndInversionAcrossTwoUnitsInParallel) {
  std::vector<std::string> expected = {"unguarded-access:state.c:8", "lock-order-inversion:state.c:12"};
  EXPECT_EQ(findingKeys(lint({"--format=json", "-j2", input("crossfile")}).out), expected);
  EXPECT_EQ(findingKeys(lint({"--format=json", "-j", "1", input("crossfile")}).out), expected);
}

TEST(EndToEnd, StandardHeadersResolveWithoutDatabase) {
  TempDir dir;
  std::string source = dir.file("headers.c",
                                "#include <stddef.h>\n#include <stdatomic.h>\n"
                                "size_t n; atomic_int a;\nint main(void) { return 0; }\n");
  LintRun run = lint({source});
  EXPECT_EQ(run.exitCode, 0) << run.err;
}

TEST(EndToEnd, InlineSuppressions) {
  EXPECT_THAT(findingKeys(lint({"--format=json", input("suppressed.c")}).out),
              ElementsAre("unguarded-access:suppressed.c:10"));
}

TEST(EndToEnd, BaselineReportsOnlyNewFindings) {
  TempDir dir;
  std::string baseline = dir.file("baseline.json", "");
  EXPECT_EQ(lint({"--write-baseline", baseline, input("race.c")}).exitCode, 1);
  LintRun again = lint({"--format=json", "--baseline", baseline, input("race.c")});
  EXPECT_EQ(again.exitCode, 0) << again.err;
  EXPECT_THAT(findingKeys(again.out), IsEmpty());
  // A finding the baseline does not know is still reported.
  EXPECT_THAT(findingKeys(lint({"--format=json", "--baseline", baseline, input("suppressed.c")}).out),
              ElementsAre("unguarded-access:suppressed.c:10"));
  std::string garbage = dir.file("garbage.json", "[1, 2");
  EXPECT_EQ(lint({"--baseline", garbage, input("race.c")}).exitCode, 2);
}

TEST(EndToEnd, SummariesAreDumpedAsJson) {
  TempDir dir;
  std::string dump = dir.file("summaries.json", "");
  EXPECT_EQ(lint({"--dump-summaries", dump, input("race.c")}).exitCode, 1);
  auto parsed = llvm::json::parse(slurp(dump));
  ASSERT_TRUE(bool(parsed));
  const llvm::json::Array* functions = parsed->getAsObject()->getArray("functions");
  ASSERT_TRUE(functions);
  EXPECT_EQ(functions->size(), 2u);  // worker and main
}

}  // namespace

TEST(EndToEnd, SarifHasWhatGitHubCodeScanningNeeds) {
  LintRun sarif = lint({"--format=sarif", input("race.c")});
  auto log = llvm::json::parse(sarif.out);
  ASSERT_TRUE(bool(log)) << sarif.out;
  const llvm::json::Object& root = *log->getAsObject();
  EXPECT_TRUE(root.getString("$schema"));
  const llvm::json::Object& run = *(*root.getArray("runs"))[0].getAsObject();
  const llvm::json::Object& driver = *run.getObject("tool")->getObject("driver");
  EXPECT_EQ(driver.getString("name"), "conc-lint");
  EXPECT_FALSE(driver.getArray("rules")->empty());
  const llvm::json::Object& result = *(*run.getArray("results"))[0].getAsObject();
  EXPECT_TRUE(result.getObject("message")->getString("text"));
  const llvm::json::Object& physical =
      *(*result.getArray("locations"))[0].getAsObject()->getObject("physicalLocation");
  EXPECT_TRUE(physical.getObject("artifactLocation")->getString("uri"));
  EXPECT_EQ(physical.getObject("region")->getInteger("startLine"), 8);
  // Stable across runs and line moves: the same finding, the same fingerprint.
  auto fingerprint = result.getObject("partialFingerprints")->getString("concLint/v1");
  ASSERT_TRUE(fingerprint);
  EXPECT_EQ(fingerprint->size(), 32u);
  EXPECT_THAT(lint({"--format=sarif", input("race.c")}).out, HasSubstr(fingerprint->str()));
}

TEST(EndToEnd, ConfigFileSwitchesChecksExcludesAndSetsFailOn) {
  LintRun run = lint({"--format=json", input("configured")});
  EXPECT_EQ(run.exitCode, 0) << run.err;  // fail-on: error, and warnings only
  EXPECT_THAT(findingKeys(run.out), ElementsAre("unguarded-access:both.cpp:21"));
  auto parsed = llvm::json::parse(run.out);
  ASSERT_TRUE(bool(parsed));
  EXPECT_EQ(parsed->getAsObject()->getObject("stats")->getInteger("files"), 1);  // generated/ excluded
  // The command line overrides the file's fail-on.
  EXPECT_EQ(lint({"--fail-on=warning", input("configured")}).exitCode, 1);
  // A PATH below the root still finds the file: the excluded source is skipped.
  LintRun excluded = lint({input("configured/generated/race.c")});
  EXPECT_EQ(excluded.exitCode, 2);
  EXPECT_THAT(excluded.err, HasSubstr("no C or C++ sources to analyze"));
}

TEST(EndToEnd, MalformedConfigIsOneLineNamingFileAndLine) {
  LintRun run = lint({input("bad_config")});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err, "conc-lint: error: " + input("bad_config/.conc-lint.yaml") +
                         ":3: unknown check id (see the checks table in docs/conc-lint.md)\n");
}
