// Text and JSON rendering of synthetic reports; the JSON is parsed back.
#include <gtest/gtest.h>

#include "json_parse.h"
#include "reports/format.h"
#include "sample_reports.h"

namespace conc::rt {
namespace {

using test::Json;
using test::JsonParser;

TEST(TextFormat, DataRace) {
  std::string text = format_text(test::sample_race());
  EXPECT_EQ(text.rfind("==================\nWARNING: conc: data race (pid=1234)\n", 0), 0u) << text;
  EXPECT_NE(text.find("  Write of size 8 at 0x55d0c0a01040 by thread T2:\n"
                      "    #0 worker /src/counter_race.c:13:5 (counter_race+0x1234)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  Previous atomic read of size 8 at 0x55d0c0a01040 by thread T1:\n"),
            std::string::npos);
  EXPECT_NE(text.find("  Location is global 'counter' of size 8 at 0x55d0c0a01040 (counter_race+0x4040)\n"),
            std::string::npos);
  EXPECT_NE(text.find("  Thread T2 (tid=1236, running) created by main thread at:\n"
                      "    #0 main /src/counter_race.c:20:5 (counter_race+0x1300)\n"),
            std::string::npos);
  EXPECT_NE(text.find("  Thread T1 (tid=1235, finished)"), std::string::npos);
  EXPECT_NE(text.find("SUMMARY: conc: data race /src/counter_race.c:13 in worker\n==================\n"),
            std::string::npos);
}

// The earlier access's stack comes from its thread's trace, which may have
// moved on: the report still goes out, saying so, and JSON has an empty stack.
TEST(TextFormat, EarlierStackNotAvailable) {
  ReportView r = test::sample_race();
  r.accesses[1].stack.clear();
  const std::string text = format_text(r);
  EXPECT_NE(text.find("  Previous atomic read of size 8 at 0x55d0c0a01040 by thread T1:\n"
                      "    <stack not available: no longer in the thread's trace>\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("SUMMARY: conc: data race /src/counter_race.c:13 in worker\n"), std::string::npos);
  Json j = JsonParser::parse(format_json(r));
  EXPECT_TRUE(j["accesses"][1]["stack"].array.empty());
  EXPECT_EQ(j["accesses"][0]["stack"][0]["function"].string, "worker");
}

TEST(TextFormat, HeapLocationAndUnknownFrames) {
  ReportView r = test::sample_race();
  LocationView heap;
  heap.kind = LocationView::Kind::Heap;
  heap.addr = 0x7000;
  heap.size = 16;
  heap.tid = 0;
  heap.stack = {test::frame("main", "/src/x.c", 9, 0x10)};
  r.location = heap;
  Frame unknown;
  unknown.pc = 0x42;
  r.accesses[1].stack = {unknown};
  std::string text = format_text(r);
  EXPECT_NE(text.find("  Location is heap block of size 16 at 0x7000 allocated by main thread:\n"
                      "    #0 main /src/x.c:9:5"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    #0 <unknown> (0x42)\n"), std::string::npos) << text;
}

TEST(TextFormat, LockOrderInversion) {
  std::string text = format_text(test::sample_cycle());
  EXPECT_NE(text.find("WARNING: conc: lock-order-inversion (potential deadlock) (pid=99)\n"),
            std::string::npos);
  EXPECT_NE(text.find("  Cycle in lock order graph: M0 (0xa0) => M1 (0xb0) => M0\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  Mutex M1 acquired here while holding mutex M0 in thread T1:\n"), std::string::npos);
  EXPECT_NE(
      text.find(
          "  Mutex M0 previously acquired by the same thread here:\n    #0 transfer() /src/abba.cpp:16"),
      std::string::npos);
  EXPECT_NE(text.find("  Mutex M0 acquired here while holding mutex M1 in thread T2:\n"), std::string::npos);
  // The summary skips the standard library frame.
  EXPECT_NE(
      text.find("SUMMARY: conc: lock-order-inversion (potential deadlock) /src/abba.cpp:17 in transfer()"),
      std::string::npos)
      << text;
}

TEST(JsonFormat, DataRaceRoundTrips) {
  std::string line = format_json(test::sample_race());
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line
  Json j = JsonParser::parse(line);
  EXPECT_EQ(j["kind"].string, "data-race");
  EXPECT_EQ(j["message"].string, "data race");
  EXPECT_EQ(j["pid"].number, 1234);
  ASSERT_EQ(j["accesses"].array.size(), 2u);
  const Json& a = j["accesses"][0];
  EXPECT_EQ(a["thread"].number, 2);
  EXPECT_EQ(a["op"].string, "write");
  EXPECT_EQ(a["size"].number, 8);
  EXPECT_EQ(a["address"].string, "0x55d0c0a01040");
  EXPECT_FALSE(a["atomic"].boolean);
  EXPECT_EQ(a["stack"][0]["function"].string, "worker");
  EXPECT_EQ(a["stack"][0]["file"].string, "/src/counter_race.c");
  EXPECT_EQ(a["stack"][0]["line"].number, 13);
  EXPECT_EQ(a["stack"][0]["column"].number, 5);
  EXPECT_EQ(a["stack"][0]["module"].string, "/work/counter_race");
  EXPECT_EQ(a["stack"][0]["offset"].string, "0x1234");
  EXPECT_EQ(j["accesses"][1]["op"].string, "read");
  EXPECT_TRUE(j["accesses"][1]["atomic"].boolean);
  EXPECT_EQ(j["location"]["type"].string, "global");
  EXPECT_EQ(j["location"]["name"].string, "counter");
  EXPECT_EQ(j["location"]["size"].number, 8);
  ASSERT_EQ(j["threads"].array.size(), 2u);
  EXPECT_EQ(j["threads"][0]["id"].number, 2);
  EXPECT_EQ(j["threads"][0]["parent"].number, 0);
  EXPECT_EQ(j["threads"][0]["created_at"][0]["function"].string, "main");
  EXPECT_EQ(j["summary"].string, "data race /src/counter_race.c:13 in worker");
}

TEST(JsonFormat, CycleRoundTrips) {
  Json j = JsonParser::parse(format_json(test::sample_cycle()));
  EXPECT_EQ(j["kind"].string, "lock-order-inversion");
  ASSERT_EQ(j["cycle"].array.size(), 2u);
  EXPECT_EQ(j["cycle"][0]["from"].string, "0xa0");
  EXPECT_EQ(j["cycle"][0]["to"].string, "0xb0");
  EXPECT_EQ(j["cycle"][0]["thread"].number, 1);
  EXPECT_EQ(j["cycle"][0]["stack"][1]["line"].number, 17);
  EXPECT_EQ(j["cycle"][0]["held_stack"][0]["line"].number, 16);
  EXPECT_FALSE(j.has("accesses"));
}

TEST(JsonFormat, EscapesStrings) {
  ReportView r = test::sample_race();
  r.accesses[0].stack[0].function = "f\"q\\\n\x01";
  Json j = JsonParser::parse(format_json(r));
  EXPECT_EQ(j["accesses"][0]["stack"][0]["function"].string, "f\"q\\\n\x01");
}

TEST(JsonFormat, MainThreadHasNullParentAndNoLocation) {
  ReportView r = test::sample_race();
  r.location.reset();
  r.threads = {{0, 0, 10, true, {}}};
  Json j = JsonParser::parse(format_json(r));
  EXPECT_EQ(j["location"].type, Json::Type::Null);
  EXPECT_EQ(j["threads"][0]["parent"].type, Json::Type::Null);
}

// Starvation and livelock are event reports: their own kind and message, the
// detail line, one event per thread or lock site.
ReportView sample_starvation() {
  ReportView r;
  r.kind = engine::ReportKind::Starvation;
  r.pid = 7;
  r.detail = "thread T2 has waited 130 ms for lock 0xc0 while thread T1 took it 86 times";
  r.events = {
      {2, "thread T2 waits for lock 0xc0 here", 0xc0, {test::frame("reporter", "/src/g.c", 36, 0x20)}},
      {1,
       "thread T1 took lock 0xc0 86 times meanwhile, most recently here",
       0xc0,
       {test::frame("sampler", "/src/g.c", 25, 0x30)}},
      {2, "lock 0xc0 created here", 0xc0, {test::frame("main", "/src/g.c", 44, 0x40)}}};
  return r;
}

TEST(TextFormat, StarvationAndLivelock) {
  std::string text = format_text(sample_starvation());
  EXPECT_EQ(text.rfind("==================\nWARNING: conc: starvation (pid=7)\n"
                       "  thread T2 has waited 130 ms for lock 0xc0 while thread T1 took it 86 times\n\n"
                       "  thread T2 waits for lock 0xc0 here:\n"
                       "    #0 reporter /src/g.c:36:5 (counter_race+0x20)\n\n"
                       "  thread T1 took lock 0xc0 86 times meanwhile, most recently here:\n",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("SUMMARY: conc: starvation /src/g.c:36 in reporter\n"), std::string::npos) << text;
  ReportView livelock = sample_starvation();
  livelock.kind = engine::ReportKind::Livelock;
  EXPECT_NE(format_text(livelock).find("WARNING: conc: livelock (pid=7)\n"), std::string::npos);
}

TEST(JsonFormat, StarvationAndLivelockFields) {
  for (auto [kind, name] : {std::pair{engine::ReportKind::Starvation, "starvation"},
                            std::pair{engine::ReportKind::Livelock, "livelock"}}) {
    ReportView r = sample_starvation();
    r.kind = kind;
    Json j = JsonParser::parse(format_json(r));
    EXPECT_EQ(j["kind"].string, name);
    EXPECT_EQ(j["message"].string, name);
    EXPECT_EQ(j["pid"].number, 7);
    EXPECT_EQ(j["detail"].string, r.detail);
    ASSERT_EQ(j["events"].array.size(), 3u);
    EXPECT_EQ(j["events"][1]["thread"].number, 1);
    EXPECT_EQ(j["events"][1]["address"].string, "0xc0");
    EXPECT_EQ(j["events"][1]["what"].string, r.events[1].what);
    EXPECT_EQ(j["events"][1]["stack"][0]["function"].string, "sampler");
    EXPECT_TRUE(j.has("threads"));
    EXPECT_EQ(j["summary"].string, std::string(name) + " /src/g.c:36 in reporter");
    EXPECT_FALSE(j.has("accesses"));
  }
}

ContentionView sample_contention() {
  ContentionView table;
  table.pid = 9;
  ContendedLock created{0xc0,
                        true,
                        400,
                        348,
                        111940000,
                        8076000,
                        121963000,
                        7998000,
                        {test::frame("std::mutex::lock()", "/usr/include/c++/12/bits/std_mutex.h", 100, 0x5),
                         test::frame("main", "/src/c.c", 81, 0x10)}};
  ContendedLock first_locked{0xd0, false, 10, 1, 1500, 1500, 0, 0, {}};
  table.locks = {created, first_locked};
  return table;
}

TEST(TextFormat, ContentionTable) {
  EXPECT_EQ(
      format_contention_text(sample_contention()),
      "==================\n"
      "conc: lock contention at exit (pid=9): most contended locks first (2)\n"
      "  lock               acquisitions  contended  wait total ms  wait max ms  hold total ms  hold max ms  "
      "site\n"
      "  0xc0                        400        348        111.940        8.076        121.963        7.998  "
      "created in main at /src/c.c:81\n"
      "  0xd0                         10          1          0.002        0.002          0.000        0.000  "
      "first locked\n"
      "==================\n");
  EXPECT_EQ(format_contention_text({.pid = 9, .locks = {}}),
            "==================\nconc: lock contention at exit (pid=9): no lock was ever waited for\n"
            "==================\n");
}

TEST(JsonFormat, ContentionFields) {
  std::string line = format_contention_json(sample_contention());
  ASSERT_EQ(line.back(), '\n');
  Json j = JsonParser::parse(line);
  EXPECT_EQ(j["kind"].string, "contention");
  EXPECT_EQ(j["message"].string, "lock contention");
  EXPECT_EQ(j["pid"].number, 9);
  ASSERT_EQ(j["locks"].array.size(), 2u);
  const Json& l = j["locks"][0];
  EXPECT_EQ(l["address"].string, "0xc0");
  EXPECT_EQ(l["acquisitions"].number, 400);
  EXPECT_EQ(l["contended"].number, 348);
  EXPECT_EQ(l["wait_total_ns"].number, 111940000);
  EXPECT_EQ(l["wait_max_ns"].number, 8076000);
  EXPECT_EQ(l["hold_total_ns"].number, 121963000);
  EXPECT_EQ(l["hold_max_ns"].number, 7998000);
  EXPECT_EQ(l["site_kind"].string, "created");
  EXPECT_EQ(l["site"][1]["function"].string, "main");
  EXPECT_EQ(j["locks"][1]["site_kind"].string, "first-locked");
  EXPECT_TRUE(j["locks"][1]["site"].array.empty());
}

TEST(Hex, Values) {
  EXPECT_EQ(hex(0), "0x0");
  EXPECT_EQ(hex(0xdeadbeef), "0xdeadbeef");
  EXPECT_EQ(hex(UINTPTR_MAX), "0xffffffffffffffff");
}

}  // namespace
}  // namespace conc::rt
