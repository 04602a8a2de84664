// The Reporter end to end with a fake symbolizer: symbolization of engine
// reports, deduplication, suppressions, halt_on_error, text/JSON output.
#include <gtest/gtest.h>
#include <unistd.h>

#include "json_parse.h"
#include "reports/reporter.h"

namespace conc::rt {
namespace {

// PCs 0x1000.. are code in /bin/prog; 0x5000.. is the global 'counter'.
class FakeSymbolizer : public Symbolizer {
 public:
  std::optional<ModuleAddress> locate(uintptr_t addr) override {
    if (addr >= 0x9000) return ModuleAddress{"/lib/libconcrt.so", addr - 0x9000};
    return ModuleAddress{"/bin/prog", addr};
  }
  std::vector<CodeLocation> code(const ModuleAddress& where) override {
    if (where.offset >= 0x5000) return {};
    // 0x1fff (pc 0x2000 - 1) is an inlined call: two frames.
    if (where.offset == 0x1fff) return {{"inlined", "/src/h.h", 3, 1}, {"outer", "/src/p.c", 30, 2}};
    return {
        {"fn_" + std::to_string(where.offset), "/src/p.c", static_cast<unsigned>(where.offset & 0xff), 1}};
  }
  std::optional<DataSymbol> data(const ModuleAddress& where) override {
    if (where.offset >= 0x5000 && where.offset < 0x5008) return DataSymbol{"counter", 0x5000, 8};
    return std::nullopt;
  }
};

engine::Report race(engine::Pc a, engine::Pc b, uintptr_t addr = 0x5000) {
  engine::Report r;
  r.kind = engine::ReportKind::DataRace;
  r.accesses.push_back({1, addr, 8, true, false, {a, 0x9100}});
  r.accesses.push_back({2, addr, 8, false, false, {b}});
  r.threads.push_back({1, 0, {0x1101}});
  r.threads.push_back({2, 0, {0x1102}});
  return r;
}

class ReporterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(pipe(fds_), 0); }
  void TearDown() override {
    close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  std::unique_ptr<Reporter> make(ReportFormat format, const std::string& suppressions = "",
                                 bool halt = false) {
    std::vector<std::string> errors;
    Reporter::Config config{format, fds_[1], halt, "/lib/libconcrt.so"};
    return std::make_unique<Reporter>(config, Suppressions::parse(suppressions, errors), symbolizer_,
                                      threads_, [this] { ++halts_; });
  }
  std::string output() {
    close(fds_[1]);
    fds_[1] = -1;
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = read(fds_[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    return text;
  }

  int fds_[2] = {-1, -1};
  FakeSymbolizer symbolizer_;
  ThreadTable threads_;
  int halts_ = 0;
};

TEST_F(ReporterTest, DeduplicatesByAccessPair) {
  auto reporter = make(ReportFormat::Json);
  reporter->on_report(race(0x1011, 0x1022));
  reporter->on_report(race(0x1022, 0x1011));          // same pair, other order
  reporter->on_report(race(0x1011, 0x1022, 0x5004));  // same code, other address
  reporter->on_report(race(0x1011, 0x1033));
  EXPECT_EQ(reporter->printed(), 2u);
  std::string out = output();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
}

TEST_F(ReporterTest, SymbolizesSkipsRuntimeFramesAndFindsGlobals) {
  threads_.started(1, 4321);
  auto reporter = make(ReportFormat::Json);
  engine::Report r = race(0x2000, 0x1022);
  reporter->on_report(r);
  test::Json j = test::JsonParser::parse(output());
  const test::Json& stack = j["accesses"][0]["stack"];
  ASSERT_EQ(stack.array.size(), 2u);  // two inlined frames; the runtime frame 0x9100 is dropped
  EXPECT_EQ(stack[0]["function"].string, "inlined");
  EXPECT_EQ(stack[1]["function"].string, "outer");
  EXPECT_EQ(stack[0]["offset"].string, "0x1fff");                         // looked up at pc-1
  EXPECT_EQ(j["accesses"][1]["stack"][0]["function"].string, "fn_4129");  // 0x1021
  EXPECT_EQ(j["location"]["name"].string, "counter");
  EXPECT_EQ(j["location"]["address"].string, "0x5000");
  EXPECT_EQ(j["threads"][0]["os_tid"].number, 4321);
  EXPECT_TRUE(j["threads"][0]["running"].boolean);
}

TEST_F(ReporterTest, InterceptorFrameTopsCreationStacks) {
  auto reporter = make(ReportFormat::Text);
  engine::Report r = race(0x1011, 0x1022);
  r.threads[1].created_at = {0x9201, 0x1102, 0x9300};  // pthread_create, its caller, a deeper runtime frame
  reporter->on_report(r);
  std::string text = output();
  // Named by function only (the symbolizer knows libconcrt's sources, the
  // program's user does not need them); runtime frames below it are dropped.
  EXPECT_NE(text.find("created by main thread at:\n"
                      "    #0 fn_512 (libconcrt.so+0x200)\n"
                      "    #1 fn_4353 /src/p.c:1:1 (prog+0x1101)\n\n  Fix:"),
            std::string::npos)
      << text;
}

TEST_F(ReporterTest, HeapBlockLocation) {
  auto reporter = make(ReportFormat::Text);
  engine::Report r = race(0x1011, 0x1022, 0x7010);
  r.has_heap_block = true;
  r.heap_block = {0x7000, 64, 0, {0x1045}};
  reporter->on_report(r);
  std::string text = output();
  EXPECT_NE(text.find("Location is heap block of size 64 at 0x7000 allocated by main thread:\n"
                      "    #0 fn_4164 /src/p.c:68:1 (prog+0x1044)"),
            std::string::npos)
      << text;
}

TEST_F(ReporterTest, SuppressedReportsAreCountedNotPrinted) {
  auto reporter = make(ReportFormat::Text, "race:^fn_4112$\n");  // 0x1010
  reporter->on_report(race(0x1011, 0x1022));
  reporter->on_report(race(0x1033, 0x1044));
  EXPECT_EQ(reporter->printed(), 1u);
  EXPECT_EQ(reporter->suppressed(), 1u);
  std::string text = output();
  EXPECT_EQ(text.find("fn_4112"), std::string::npos);
  EXPECT_NE(text.find("fn_4146"), std::string::npos);  // 0x1032
}

TEST_F(ReporterTest, CyclesDeduplicateAndHalt) {
  auto reporter = make(ReportFormat::Text, "", /*halt=*/true);
  engine::Report r;
  r.kind = engine::ReportKind::LockOrderInversion;
  r.cycle.push_back({0xa0, 0xb0, 1, {0x1011}, {0x1022}});
  r.cycle.push_back({0xb0, 0xa0, 2, {0x1033}, {0x1044}});
  reporter->on_report(r);
  reporter->on_report(r);
  EXPECT_EQ(halts_, 1);
  EXPECT_EQ(reporter->printed(), 1u);
  EXPECT_EQ(reporter->stop(), 1u);
  reporter->on_report(race(0x1011, 0x1022));  // after stop(): dropped
  EXPECT_EQ(reporter->printed(), 1u);
  EXPECT_NE(output().find("Cycle in lock order graph: M0 (0xa0) => M1 (0xb0) => M0"), std::string::npos);
}

}  // namespace
}  // namespace conc::rt
