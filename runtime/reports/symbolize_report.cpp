// Symbolization of whole reports. Stack entries other than an access itself
// are return addresses, so every PC is looked up as pc-1 (the call
// instruction); access PCs are return addresses from __tsan_* calls too.
#include "reports/symbolize_report.h"

namespace conc::rt {
namespace {

class StackSymbolizer {
 public:
  StackSymbolizer(Symbolizer& s, std::string_view internal) : s_(s), internal_(internal) {}

  FrameList operator()(const engine::Stack& stack) {
    FrameList frames;
    for (engine::Pc pc : stack) {
      if (pc == 0) continue;
      std::optional<ModuleAddress> where = s_.locate(pc - 1);
      const bool internal = where && !internal_.empty() && where->module == internal_;
      // The runtime's own frames are left out, except on top: that is the
      // interceptor the program called (pthread_create on creation stacks),
      // shown by its name only, as ThreadSanitizer shows its interceptors.
      if (internal && !frames.empty()) continue;
      Frame base;
      base.pc = pc;
      if (where) {
        base.module = where->module;
        base.offset = where->offset;
      }
      std::vector<CodeLocation> code = where ? s_.code(*where) : std::vector<CodeLocation>{};
      if (internal) {
        if (!code.empty()) base.function = code.back().function;
        frames.push_back(std::move(base));
        continue;
      }
      if (code.empty()) frames.push_back(base);
      for (const CodeLocation& c : code) {
        Frame f = base;
        f.function = c.function;
        f.file = c.file;
        f.line = c.line;
        f.column = c.column;
        frames.push_back(std::move(f));
      }
    }
    return frames;
  }

 private:
  Symbolizer& s_;
  std::string_view internal_;
};

}  // namespace

std::optional<LocationView> locate_global(Symbolizer& s, uintptr_t addr) {
  std::optional<ModuleAddress> where = s.locate(addr);
  if (!where) return std::nullopt;
  std::optional<DataSymbol> sym = s.data(*where);
  if (!sym || sym->name.empty()) return std::nullopt;
  LocationView l;
  l.kind = LocationView::Kind::Global;
  l.name = sym->name;
  l.size = sym->size;
  l.addr = addr - (where->offset - sym->start);
  l.module = where->module;
  l.offset = sym->start;
  return l;
}

ReportView symbolize_report(const engine::Report& report, Symbolizer& symbolizer, const ThreadTable& threads,
                            std::string_view internal_module, int pid) {
  StackSymbolizer symbolize(symbolizer, internal_module);
  ReportView v;
  v.kind = report.kind;
  v.pid = pid;
  for (const engine::ReportedAccess& a : report.accesses)
    v.accesses.push_back({a.tid, a.addr, a.size, a.write, a.atomic, symbolize(a.stack)});
  if (report.kind == engine::ReportKind::DataRace) {
    if (report.has_heap_block) {
      const engine::HeapBlock& b = report.heap_block;
      LocationView l;
      l.kind = LocationView::Kind::Heap;
      l.addr = b.addr;
      l.size = b.size;
      l.tid = b.tid;
      l.stack = symbolize(b.allocated_at);
      v.location = std::move(l);
    } else if (!report.accesses.empty()) {
      v.location = locate_global(symbolizer, report.accesses[0].addr);
    }
  }
  for (const engine::LockEdge& e : report.cycle) {
    std::optional<LocationView> global = locate_global(symbolizer, e.from);
    v.cycle.push_back({e.from, e.to, e.tid, symbolize(e.to_acquired_at), symbolize(e.from_acquired_at),
                       global && global->addr == e.from ? global->name : ""});
  }
  v.detail = report.detail;
  for (const engine::ReportedEvent& e : report.events)
    v.events.push_back({e.tid, e.what, e.addr, symbolize(e.stack)});
  for (const engine::ThreadInfo& t : report.threads) {
    ThreadTable::Status status = threads.status(t.tid);
    v.threads.push_back({t.tid, t.parent, status.os_tid, status.running, symbolize(t.created_at)});
  }
  return v;
}

}  // namespace conc::rt
