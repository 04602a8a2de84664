// The three output formats, on a hand-made report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include "checks/registry.h"
#include "output/report.h"

namespace conc::lint {
namespace {

using ::testing::HasSubstr;

class OutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("conc-lint-output", "c", path));
    source_ = std::string(path);
    std::error_code ec;
    llvm::raw_fd_ostream out(source_, ec);
    out << "int counter;\n\tcounter++;\n";
    checks_ = allChecks();
    for (const auto& check : checks_) report_.checks.push_back(check.get());
    report_.findings.push_back({"unguarded-access",
                                Severity::Warning,
                                {source_, 2, 2},
                                "`counter` is written without a lock",
                                {{{source_, 1, 5}, "declared here"}}});
    report_.stats = {3, 2, 1, 0.5};
  }
  void TearDown() override { llvm::sys::fs::remove(source_); }

  std::string source_;
  std::vector<std::unique_ptr<Check>> checks_;
  Report report_;
};

TEST_F(OutputTest, TextIsClangStyleWithCaretAndNotes) {
  std::string text;
  llvm::raw_string_ostream out(text);
  writeText(report_, out, false);
  EXPECT_THAT(text, HasSubstr(source_ + ":2:2: warning: `counter` is written without a lock "
                                        "[unguarded-access]\n\tcounter++;\n\t^\n"));
  EXPECT_THAT(text, HasSubstr(source_ + ":1:5: note: declared here\n"));
  EXPECT_EQ(text.find('\033'), std::string::npos);
  std::string colored;
  llvm::raw_string_ostream colorOut(colored);
  writeText(report_, colorOut, true);
  EXPECT_NE(colored.find('\033'), std::string::npos);
}

TEST_F(OutputTest, JsonShape) {
  llvm::json::Value value = jsonReport(report_);
  const llvm::json::Object* root = value.getAsObject();
  ASSERT_TRUE(root);
  const llvm::json::Array* findings = root->getArray("findings");
  ASSERT_TRUE(findings && findings->size() == 1);
  const llvm::json::Object* finding = (*findings)[0].getAsObject();
  EXPECT_EQ(finding->getString("check"), "unguarded-access");
  EXPECT_EQ(finding->getString("severity"), "warning");
  EXPECT_EQ(finding->getInteger("line"), 2);
  EXPECT_EQ(finding->getInteger("column"), 2);
  EXPECT_TRUE(finding->getString("file"));
  EXPECT_TRUE(finding->getString("message"));
  const llvm::json::Array* related = finding->getArray("related");
  ASSERT_TRUE(related && related->size() == 1);
  EXPECT_EQ((*related)[0].getAsObject()->getString("message"), "declared here");
  const llvm::json::Object* stats = root->getObject("stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->getInteger("files"), 3);
  EXPECT_EQ(stats->getInteger("translation_units"), 2);
  EXPECT_EQ(stats->getInteger("errors"), 1);
  EXPECT_EQ(stats->getInteger("findings"), 1);
  EXPECT_EQ(stats->getNumber("seconds"), 0.5);
}

TEST_F(OutputTest, SarifShapeParsesBack) {
  std::string text;
  llvm::raw_string_ostream(text) << sarifReport(report_);
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  ASSERT_TRUE(bool(parsed));
  const llvm::json::Object* root = parsed->getAsObject();
  EXPECT_EQ(root->getString("version"), "2.1.0");
  const llvm::json::Object* run = (*root->getArray("runs"))[0].getAsObject();
  const llvm::json::Object* driver = run->getObject("tool")->getObject("driver");
  EXPECT_EQ(driver->getString("name"), "conc-lint");
  std::vector<std::string> rules;
  for (const llvm::json::Value& rule : *driver->getArray("rules")) {
    rules.push_back(rule.getAsObject()->getString("id")->str());
    EXPECT_TRUE(rule.getAsObject()->getObject("shortDescription")->getString("text"));
  }
  EXPECT_THAT(rules, ::testing::ElementsAre("blocking-under-lock", "check-then-act", "double-lock",
                                            "fork-in-threads", "livelock-retry", "lock-leak",
                                            "lock-order-inversion", "thread-not-joined", "unguarded-access",
                                            "wait-without-lock", "wait-without-loop"));
  const llvm::json::Object* result = (*run->getArray("results"))[0].getAsObject();
  EXPECT_EQ(result->getString("ruleId"), "unguarded-access");
  EXPECT_EQ(result->getString("level"), "warning");
  EXPECT_TRUE(result->getObject("message")->getString("text"));
  const llvm::json::Object* physical =
      (*result->getArray("locations"))[0].getAsObject()->getObject("physicalLocation");
  EXPECT_TRUE(physical->getObject("artifactLocation")->getString("uri"));
  EXPECT_EQ(physical->getObject("region")->getInteger("startLine"), 2);
  EXPECT_EQ(physical->getObject("region")->getInteger("startColumn"), 2);
  EXPECT_EQ(result->getArray("relatedLocations")->size(), 1u);
}

TEST_F(OutputTest, FixItsInEveryFormat) {
  Finding& leak = report_.findings.front();
  leak.related.push_back({{source_, 2, 2}, "fix: use a guard"});
  leak.fix = {{{source_, 2, 2}, {source_, 2, 12}, "std::lock_guard<std::mutex> guard(m);"},
              {{source_, 4, 3}, {source_, 4, 14}, ""}};
  std::string text;
  llvm::raw_string_ostream out(text);
  writeText(report_, out, false);
  EXPECT_THAT(text, HasSubstr("fix-it:\"" + source_ +
                              "\":{2:2-2:12}:\"std::lock_guard<std::mutex> guard(m);\"\n"
                              "fix-it:\"" +
                              source_ + "\":{4:3-4:14}:\"\"\n"));

  llvm::json::Value json = jsonReport(report_);
  const llvm::json::Object* finding = (*json.getAsObject()->getArray("findings"))[0].getAsObject();
  const llvm::json::Array* edits = finding->getArray("fix");
  ASSERT_TRUE(edits && edits->size() == 2);
  EXPECT_EQ((*edits)[0].getAsObject()->getInteger("end_column"), 12);
  EXPECT_EQ((*edits)[1].getAsObject()->getString("text"), "");

  llvm::json::Value sarif = sarifReport(report_);
  const llvm::json::Object* run = (*sarif.getAsObject()->getArray("runs"))[0].getAsObject();
  const llvm::json::Object* result = (*run->getArray("results"))[0].getAsObject();
  const llvm::json::Array* fixes = result->getArray("fixes");
  ASSERT_TRUE(fixes && fixes->size() == 1);
  const llvm::json::Object* fix = (*fixes)[0].getAsObject();
  EXPECT_EQ(fix->getObject("description")->getString("text"), "use a guard");
  const llvm::json::Object* change = (*fix->getArray("artifactChanges"))[0].getAsObject();
  const llvm::json::Array* replacements = change->getArray("replacements");
  ASSERT_TRUE(replacements && replacements->size() == 2);
  const llvm::json::Object* first = (*replacements)[0].getAsObject();
  EXPECT_EQ(first->getObject("deletedRegion")->getInteger("endColumn"), 12);
  EXPECT_EQ(first->getObject("insertedContent")->getString("text"), "std::lock_guard<std::mutex> guard(m);");
}

TEST_F(OutputTest, NoFixItsWhenThereIsNone) {
  std::string text;
  llvm::raw_string_ostream out(text);
  writeText(report_, out, false);
  EXPECT_EQ(text.find("fix-it:"), std::string::npos);
  llvm::json::Value sarif = sarifReport(report_);
  const llvm::json::Object* run = (*sarif.getAsObject()->getArray("runs"))[0].getAsObject();
  EXPECT_FALSE((*run->getArray("results"))[0].getAsObject()->get("fixes"));
}

}  // namespace
}  // namespace conc::lint
