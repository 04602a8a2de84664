// A report after symbolization: what the text and JSON formatters print.
// Built from an engine::Report by symbolize_report(); the formatters are pure
// functions of it, so tests build these by hand.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace conc::rt {

struct Frame {
  uintptr_t pc = 0;
  std::string function;  // empty when unknown
  std::string file;      // empty when unknown
  unsigned line = 0;
  unsigned column = 0;
  std::string module;    // full path of the executable or shared object
  uintptr_t offset = 0;  // address inside `module` (file virtual address)
};
using FrameList = std::vector<Frame>;

struct AccessView {
  engine::Tid tid = 0;
  uintptr_t addr = 0;
  size_t size = 0;
  bool write = false;
  bool atomic = false;
  FrameList stack;
};

struct LocationView {
  enum class Kind { Global, Heap } kind = Kind::Global;
  uintptr_t addr = 0;  // start of the global or heap block
  size_t size = 0;
  std::string name;    // Global
  std::string module;  // Global
  uintptr_t offset = 0;
  engine::Tid tid = 0;  // Heap: allocating thread
  FrameList stack;      // Heap: allocation stack
};

struct EdgeView {
  uintptr_t from = 0;
  uintptr_t to = 0;
  engine::Tid tid = 0;
  FrameList stack;             // where `to` was acquired while `from` was held
  FrameList held_stack;        // where `from` was acquired
  std::string from_name = {};  // the global variable that is `from`, when it is one
};

struct EventView {
  engine::Tid tid = 0;
  std::string what;
  uintptr_t addr = 0;
  FrameList stack;
};

struct ThreadView {
  engine::Tid tid = 0;
  engine::Tid parent = 0;
  int os_tid = 0;  // 0 when unknown
  bool running = false;
  FrameList created_at;
};

struct ReportView {
  engine::ReportKind kind = engine::ReportKind::DataRace;
  int pid = 0;
  std::vector<AccessView> accesses;
  std::optional<LocationView> location;
  std::vector<EdgeView> cycle;
  std::string detail;
  std::vector<EventView> events;
  std::vector<ThreadView> threads;
  std::string docs = {};  // the docs page of the report's kind; empty: not shown
};

// One row of the contention_report table (times in nanoseconds).
struct ContendedLock {
  uintptr_t addr = 0;
  bool created = false;  // `site` is where it was created, else where it was first locked
  uint64_t acquisitions = 0;
  uint64_t contended = 0;
  uint64_t total_wait_ns = 0, max_wait_ns = 0;
  uint64_t total_hold_ns = 0, max_hold_ns = 0;
  FrameList site;
};

struct ContentionView {
  int pid = 0;
  std::vector<ContendedLock> locks;  // most contended first
};

// "data-race", "lock-order-inversion", "deadlock", "mutex-misuse"...: the
// JSON kind and (except lock-order-inversion, which is "deadlock") the
// suppression type.
const char* kind_name(engine::ReportKind kind);
// "data race", "lock-order-inversion (potential deadlock)", "deadlock"...
const char* kind_message(engine::ReportKind kind);
// The frame a SUMMARY line names: the first frame of the first stack that is
// not inside a standard library header (else simply the first).
const Frame* summary_frame(const ReportView& report);
// The first frame of `stack` outside the standard library headers, else the first; null when empty.
const Frame* first_user_frame(const FrameList& stack);

}  // namespace conc::rt
