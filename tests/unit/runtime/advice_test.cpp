// Fix advice, docs links, the lock-graph DOT and the HTML report, on
// synthetic reports.
#include <gtest/gtest.h>

#include "json_parse.h"
#include "reports/advice.h"
#include "reports/format.h"
#include "reports/html_format.h"
#include "reports/lock_graph_dot.h"
#include "sample_reports.h"

namespace conc::rt {
namespace {

TEST(Advice, RaceNamesTheVariableAndFunctions) {
  ReportView r = test::sample_race();
  EXPECT_EQ(
      fix_advice(r),
      "guard `counter` with one mutex held at both accesses (both in `worker`), or make it std::atomic");
  r.accesses[1].stack = {test::frame("reader", "/src/counter_race.c", 30, 0x1300)};
  EXPECT_NE(fix_advice(r).find("(in `worker` and `reader`)"), std::string::npos) << fix_advice(r);
}

TEST(Advice, CycleGivesTheOrderAndTheAcquisitionThatBreaksIt) {
  ReportView r = test::sample_cycle();
  r.cycle[0].from_name = "accounts";
  EXPECT_EQ(
      fix_advice(r),
      "always lock M0 `accounts` before M1: `audit()` (abba.cpp:29) takes M0 `accounts` while holding M1; "
      "or take them together with std::scoped_lock");
}

TEST(Advice, MisuseFollowsTheDetail) {
  ReportView r;
  r.kind = engine::ReportKind::MutexMisuse;
  r.detail = "unlock of a mutex held by another thread";
  EXPECT_NE(fix_advice(r).find("std::lock_guard"), std::string::npos);
  r.kind = engine::ReportKind::AbandonedLock;
  EXPECT_NE(fix_advice(r).find("on the exception path"), std::string::npos);
}

TEST(Advice, StarvationFollowsItsShape) {
  ReportView r;
  r.kind = engine::ReportKind::Starvation;
  r.detail = "thread T2 has waited 250 ms for lock 0x10, which thread T1 held all that time without blocking";
  EXPECT_NE(fix_advice(r).find("out of the critical section"), std::string::npos) << fix_advice(r);
  r.detail =
      "writer starvation: thread T4 has waited 129 ms for lock 0x10 while its readers took it 95 times";
  EXPECT_NE(fix_advice(r).find("writer-preferring"), std::string::npos) << fix_advice(r);
  r.detail = "thread T2 has waited 145 ms for lock 0x10 while thread T1 took it 90 times";
  EXPECT_NE(fix_advice(r).find("fair hand-off"), std::string::npos) << fix_advice(r);
}

TEST(Advice, BothFormatsCarryFixAndDocs) {
  ReportView r = test::sample_race();
  r.docs = docs_page("/opt/conc/share/doc/conc", r.kind);
  EXPECT_EQ(r.docs, "/opt/conc/share/doc/conc/reports/data-race.md");
  std::string text = format_text(r);
  EXPECT_NE(text.find("\n  Fix: guard `counter` with one mutex"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  Docs: /opt/conc/share/doc/conc/reports/data-race.md\n\nSUMMARY:"),
            std::string::npos)
      << text;
  test::Json j = test::JsonParser::parse(format_json(r));
  EXPECT_EQ(j["fix"].string, fix_advice(r));
  EXPECT_EQ(j["docs"].string, r.docs);
}

TEST(LockGraphDot, CycleIsRedWithSitesAndNames) {
  ReportView r = test::sample_cycle();
  r.cycle[0].from_name = "accounts";
  std::string dot = format_graph_dot(cycle_graph(r), "cycle \"1\"");
  EXPECT_EQ(dot.rfind("digraph \"cycle \\\"1\\\"\" {\n", 0), 0u) << dot;
  EXPECT_NE(
      dot.find("  La0 [label=\"accounts (0xa0)\\ntaken in transfer() at abba.cpp:16\", color=\"#c0392b\""),
      std::string::npos)
      << dot;
  EXPECT_NE(dot.find("  La0 -> Lb0 [label=\"T1: transfer() at abba.cpp:17\", color=\"#c0392b\""),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("  Lb0 -> La0 [label=\"T2: audit() at abba.cpp:29\""), std::string::npos) << dot;
  EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
}

TEST(LockGraphDot, EdgesOutsideCyclesAreNotRed) {
  LockGraphView graph;
  graph.edges.push_back({0x10, 0x20, 0, {test::frame("main", "/src/m.c", 5, 0x1)}, false});
  std::string dot = format_graph_dot(graph, "g");
  EXPECT_NE(dot.find("  L10 -> L20 [label=\"main: main at m.c:5\"];\n"), std::string::npos) << dot;
  EXPECT_NE(dot.find("  L10 [label=\"lock 0x10\"];\n"), std::string::npos) << dot;
  EXPECT_EQ(dot.find("#c0392b"), std::string::npos);
}

TEST(LockGraphDot, DeadlockWaitForCycle) {
  ReportView r;
  r.kind = engine::ReportKind::Deadlock;
  r.events = {
      {1, "thread T1 blocks on lock 0xa0, held by thread T2", 0xa0, {test::frame("pay", "/s/b.cpp", 9, 1)}},
      {2, "thread T2 blocks on lock 0xb0, held by thread T1", 0xb0, {test::frame("pay", "/s/b.cpp", 9, 2)}},
      {2, "lock 0xa0 taken by thread T2 here", 0xa0, {test::frame("pay", "/s/b.cpp", 8, 3)}},
      {1, "lock 0xb0 taken by thread T1 here", 0xb0, {test::frame("pay", "/s/b.cpp", 8, 4)}}};
  std::string dot = format_deadlock_dot(r, "deadlock 1");
  EXPECT_NE(dot.find("  La0 [label=\"lock 0xa0\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("  T1 [label=\"thread T1\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("  T1 -> La0 [label=\"waits in\\npay at b.cpp:9\"];\n"), std::string::npos) << dot;
  EXPECT_NE(dot.find("  La0 -> T2 [label=\"holds it, taken in\\npay at b.cpp:8\"];\n"), std::string::npos)
      << dot;
  EXPECT_NE(dot.find("  Lb0 -> T1 ["), std::string::npos) << dot;
}

TEST(HtmlFormat, FindingsGraphAndContention) {
  HtmlReport html;
  html.program = "./bank <accounts>";
  html.pid = 7;
  html.reports = {test::sample_race(), test::sample_cycle()};
  html.cycle_svgs = {"", "<svg id=\"cycle\"></svg>"};
  html.graph_note = "No picture: dot is not installed.";
  html.contention = ContentionView{
      7, {{0xa0, true, 10, 3, 2000000, 1000000, 0, 0, {test::frame("main", "/src/m.c", 5, 0x1)}}}};
  std::string page = format_html(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("conc report: ./bank &lt;accounts&gt;"), std::string::npos);
  EXPECT_NE(page.find("<span>1 data-race</span><span>1 lock-order-inversion</span>"), std::string::npos)
      << page;
  EXPECT_NE(page.find("<b>Fix:</b> guard `counter`"), std::string::npos);
  EXPECT_NE(page.find("<svg id=\"cycle\"></svg>"), std::string::npos);
  EXPECT_NE(page.find("No picture: dot is not installed."), std::string::npos);
  EXPECT_NE(page.find("<td>10</td><td>3</td><td>2.000</td><td>1.000</td>"), std::string::npos) << page;
  EXPECT_NE(page.find("created /src/m.c:5 in main"), std::string::npos) << page;
  EXPECT_EQ(page.find("http"), std::string::npos);  // nothing fetched
}

TEST(HtmlFormat, RaceWithoutTheEarlierStack) {
  HtmlReport html;
  html.program = "./bank";
  html.reports = {test::sample_race()};
  html.reports[0].accesses[1].stack.clear();
  const std::string page = format_html(html);
  EXPECT_NE(page.find("<b>Fix:</b> guard `counter` with one mutex held at both accesses, or"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("&lt;stack not available: no longer in the thread's trace&gt;"), std::string::npos)
      << page;
}

TEST(HtmlFormat, InlineSvgDropsTheProlog) {
  EXPECT_EQ(inline_svg("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg a=\"1\"></svg>\n"),
            "<svg a=\"1\"></svg>\n");
  EXPECT_EQ(inline_svg("not svg"), "");
}

}  // namespace
}  // namespace conc::rt
