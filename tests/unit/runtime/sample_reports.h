// Hand-built symbolized reports shared by the formatting and reporter tests.
#pragma once

#include "reports/report_model.h"

namespace conc::test {

inline rt::Frame frame(const std::string& function, const std::string& file, unsigned line, uintptr_t offset) {
  rt::Frame f;
  f.pc = 0x1000 + offset;
  f.function = function;
  f.file = file;
  f.line = line;
  f.column = 5;
  f.module = "/work/counter_race";
  f.offset = offset;
  return f;
}

inline rt::ReportView sample_race() {
  rt::ReportView r;
  r.kind = engine::ReportKind::DataRace;
  r.pid = 1234;
  r.accesses.push_back({2, 0x55d0c0a01040, 8, true, false, {frame("worker", "/src/counter_race.c", 13, 0x1234)}});
  r.accesses.push_back({1, 0x55d0c0a01040, 8, false, true, {frame("worker", "/src/counter_race.c", 12, 0x1220)}});
  rt::LocationView l;
  l.kind = rt::LocationView::Kind::Global;
  l.addr = 0x55d0c0a01040;
  l.size = 8;
  l.name = "counter";
  l.module = "/work/counter_race";
  l.offset = 0x4040;
  r.location = l;
  r.threads.push_back({2, 0, 1236, true, {frame("main", "/src/counter_race.c", 20, 0x1300)}});
  r.threads.push_back({1, 0, 1235, false, {frame("main", "/src/counter_race.c", 20, 0x1300)}});
  return r;
}

inline rt::ReportView sample_cycle() {
  rt::ReportView r;
  r.kind = engine::ReportKind::LockOrderInversion;
  r.pid = 99;
  r.cycle.push_back({0xa0, 0xb0, 1,
                     {frame("std::mutex::lock()", "/usr/include/c++/12/bits/std_mutex.h", 100, 0x50),
                      frame("transfer()", "/src/abba.cpp", 17, 0x60)},
                     {frame("transfer()", "/src/abba.cpp", 16, 0x58)}});
  r.cycle.push_back({0xb0, 0xa0, 2, {frame("audit()", "/src/abba.cpp", 29, 0x70)}, {frame("audit()", "/src/abba.cpp", 28, 0x68)}});
  r.threads.push_back({1, 0, 0, false, {}});
  return r;
}

}  // namespace conc::test
