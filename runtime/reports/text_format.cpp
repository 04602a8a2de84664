// ThreadSanitizer-style text reports, so people and scripts used to TSan
// output read ours without surprises.
#include <cstdio>
#include <map>

#include "reports/advice.h"
#include "reports/format.h"

namespace conc::rt {
namespace {

std::string basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string thread_name(engine::Tid tid) {
  return tid == 0 ? "main thread" : "thread T" + std::to_string(tid);
}

void append_stack(std::string& out, const FrameList& stack, const char* if_empty = "<empty stack>") {
  if (stack.empty()) {
    out += std::string("    ") + if_empty + "\n";
    return;
  }
  for (size_t i = 0; i < stack.size(); ++i) {
    const Frame& f = stack[i];
    out += "    #" + std::to_string(i) + " " + (f.function.empty() ? "<unknown>" : f.function);
    if (!f.file.empty()) {
      out += " " + f.file;
      if (f.line) out += ":" + std::to_string(f.line);
      if (f.line && f.column) out += ":" + std::to_string(f.column);
    }
    if (!f.module.empty())
      out += " (" + basename(f.module) + "+" + hex(f.offset) + ")";
    else
      out += " (" + hex(f.pc) + ")";
    out += "\n";
  }
}

void append_race(std::string& out, const ReportView& r) {
  if (!r.detail.empty()) out += "  " + r.detail + "\n\n";  // e.g. which processes raced
  for (size_t i = 0; i < r.accesses.size(); ++i) {
    const AccessView& a = r.accesses[i];
    std::string op = std::string(a.atomic ? "atomic " : "") + (a.write ? "write" : "read");
    if (i == 0) op[0] = static_cast<char>(op[0] - 'a' + 'A');
    out += std::string("  ") + (i == 0 ? "" : "Previous ") + op + " of size " + std::to_string(a.size) +
           " at " + hex(a.addr) + " by " + thread_name(a.tid) + ":\n";
    // An earlier access's stack is rebuilt from its thread's recent history,
    // which may no longer reach back to it.
    append_stack(out, a.stack,
                 i == 0 ? "<empty stack>" : "<stack not available: no longer in the thread's trace>");
    out += "\n";
  }
  if (!r.location) return;
  const LocationView& l = *r.location;
  if (l.kind == LocationView::Kind::Global) {
    out += "  Location is global '" + l.name + "' of size " + std::to_string(l.size) + " at " + hex(l.addr) +
           " (" + basename(l.module) + "+" + hex(l.offset) + ")\n\n";
  } else {
    out += "  Location is heap block of size " + std::to_string(l.size) + " at " + hex(l.addr) +
           " allocated by " + thread_name(l.tid) + ":\n";
    append_stack(out, l.stack);
    out += "\n";
  }
}

void append_cycle(std::string& out, const ReportView& r) {
  std::map<uintptr_t, std::string> names;  // M0, M1... in cycle order
  for (const EdgeView& e : r.cycle)
    if (!names.count(e.from)) names.emplace(e.from, "M" + std::to_string(names.size()));
  for (const EdgeView& e : r.cycle)
    if (!names.count(e.to)) names.emplace(e.to, "M" + std::to_string(names.size()));
  out += "  Cycle in lock order graph: ";
  for (const EdgeView& e : r.cycle) out += names[e.from] + " (" + hex(e.from) + ") => ";
  out += r.cycle.empty() ? "" : names[r.cycle.front().from];
  out += "\n\n";
  for (const EdgeView& e : r.cycle) {
    out += "  Mutex " + names[e.to] + " acquired here while holding mutex " + names[e.from] + " in " +
           thread_name(e.tid) + ":\n";
    append_stack(out, e.stack);
    out += "\n  Mutex " + names[e.from] + " previously acquired by the same thread here:\n";
    append_stack(out, e.held_stack);
    out += "\n";
  }
}

// Lock-hazard reports: the problem, then each event with its stack.
void append_events(std::string& out, const ReportView& r) {
  out += "  " + r.detail + "\n\n";
  for (const EventView& e : r.events) {
    out += "  " + e.what + ":\n";
    append_stack(out, e.stack);
    out += "\n";
  }
}

}  // namespace

std::string hex(uintptr_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), digits[value & 15]);
    value >>= 4;
  } while (value);
  return "0x" + s;
}

std::string format_text(const ReportView& r) {
  std::string out = "==================\nWARNING: conc: " + std::string(kind_message(r.kind)) +
                    " (pid=" + std::to_string(r.pid) + ")\n";
  if (r.kind == engine::ReportKind::DataRace)
    append_race(out, r);
  else if (r.kind == engine::ReportKind::LockOrderInversion)
    append_cycle(out, r);
  else
    append_events(out, r);
  for (const ThreadView& t : r.threads) {
    if (t.tid == 0) continue;  // the main thread was not created by anyone
    out += "  Thread T" + std::to_string(t.tid) + " (";
    if (t.os_tid) out += "tid=" + std::to_string(t.os_tid) + ", ";
    out +=
        std::string(t.running ? "running" : "finished") + ") created by " + thread_name(t.parent) + " at:\n";
    append_stack(out, t.created_at);
    out += "\n";
  }
  out += "  Fix: " + fix_advice(r) + "\n";
  if (!r.docs.empty()) out += "  Docs: " + r.docs + "\n";
  out += "\n";
  out += "SUMMARY: conc: " + std::string(kind_message(r.kind));
  if (const Frame* f = summary_frame(r)) {
    if (!f->file.empty())
      out += " " + f->file + ":" + std::to_string(f->line);
    else if (!f->module.empty())
      out += " (" + basename(f->module) + "+" + hex(f->offset) + ")";
    if (!f->function.empty()) out += " in " + f->function;
  }
  out += "\n==================\n";
  return out;
}

std::string format_contention_text(const ContentionView& table) {
  std::string out =
      "==================\nconc: lock contention at exit (pid=" + std::to_string(table.pid) + "): ";
  if (table.locks.empty()) return out + "no lock was ever waited for\n==================\n";
  out += "most contended locks first (" + std::to_string(table.locks.size()) + ")\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-18s %12s %10s %14s %12s %14s %12s  %s\n", "lock", "acquisitions",
                "contended", "wait total ms", "wait max ms", "hold total ms", "hold max ms", "site");
  out += line;
  for (const ContendedLock& l : table.locks) {
    auto millis = [](uint64_t ns) { return static_cast<double>(ns) / 1e6; };
    std::snprintf(line, sizeof line, "  %-18s %12llu %10llu %14.3f %12.3f %14.3f %12.3f  ",
                  hex(l.addr).c_str(), static_cast<unsigned long long>(l.acquisitions),
                  static_cast<unsigned long long>(l.contended), millis(l.total_wait_ns),
                  millis(l.max_wait_ns), millis(l.total_hold_ns), millis(l.max_hold_ns));
    out += line;
    out += l.created ? "created" : "first locked";
    if (const Frame* f = first_user_frame(l.site)) {
      if (!f->function.empty()) out += " in " + f->function;
      if (!f->file.empty())
        out += " at " + f->file + ":" + std::to_string(f->line);
      else if (!f->module.empty())
        out += " (" + basename(f->module) + "+" + hex(f->offset) + ")";
    }
    out += "\n";
  }
  return out + "==================\n";
}

}  // namespace conc::rt
