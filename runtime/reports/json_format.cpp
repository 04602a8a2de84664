// JSON Lines reports: one object per report on one line, for tools. Addresses
// and offsets are hex strings because 64-bit values do not survive JSON
// numbers in every parser.
#include "reports/advice.h"
#include "reports/format.h"

namespace conc::rt {
namespace {

void append_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          static const char digits[] = "0123456789abcdef";
          out += "\\u00";
          out += digits[c >> 4];
          out += digits[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// Writes "key": with the separating comma; `first` tracks the object.
class Object {
 public:
  explicit Object(std::string& out) : out_(out) { out_ += '{'; }
  ~Object() { out_ += '}'; }
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
  std::string& key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    append_string(out_, k);
    out_ += ':';
    return out_;
  }
  void str(std::string_view k, std::string_view v) { append_string(key(k), v); }
  void num(std::string_view k, uint64_t v) { key(k) += std::to_string(v); }
  void boolean(std::string_view k, bool v) { key(k) += v ? "true" : "false"; }

 private:
  std::string& out_;
  bool first_ = true;
};

void append_stack(std::string& out, const FrameList& stack) {
  out += '[';
  for (size_t i = 0; i < stack.size(); ++i) {
    if (i) out += ',';
    const Frame& f = stack[i];
    Object o(out);
    o.str("function", f.function);
    o.str("file", f.file);
    o.num("line", f.line);
    o.num("column", f.column);
    o.str("module", f.module);
    o.str("offset", hex(f.offset));
    o.str("pc", hex(f.pc));
  }
  out += ']';
}

void append_accesses(Object& o, const ReportView& r) {
  if (!r.detail.empty()) o.str("detail", r.detail);  // e.g. which processes raced
  std::string& out = o.key("accesses");
  out += '[';
  for (size_t i = 0; i < r.accesses.size(); ++i) {
    if (i) out += ',';
    const AccessView& a = r.accesses[i];
    Object ao(out);
    ao.num("thread", a.tid);
    ao.str("op", a.write ? "write" : "read");
    ao.num("size", a.size);
    ao.str("address", hex(a.addr));
    ao.boolean("atomic", a.atomic);
    append_stack(ao.key("stack"), a.stack);
  }
  out += ']';
}

void append_location(Object& o, const LocationView& l) {
  Object lo(o.key("location"));
  bool global = l.kind == LocationView::Kind::Global;
  lo.str("type", global ? "global" : "heap");
  lo.str("address", hex(l.addr));
  lo.num("size", l.size);
  if (global) {
    lo.str("name", l.name);
    lo.str("module", l.module);
    lo.str("offset", hex(l.offset));
  } else {
    lo.num("thread", l.tid);
    append_stack(lo.key("stack"), l.stack);
  }
}

void append_cycle(Object& o, const ReportView& r) {
  std::string& out = o.key("cycle");
  out += '[';
  for (size_t i = 0; i < r.cycle.size(); ++i) {
    if (i) out += ',';
    const EdgeView& e = r.cycle[i];
    Object eo(out);
    eo.str("from", hex(e.from));
    eo.str("to", hex(e.to));
    eo.num("thread", e.tid);
    append_stack(eo.key("stack"), e.stack);
    append_stack(eo.key("held_stack"), e.held_stack);
    if (!e.from_name.empty()) eo.str("from_name", e.from_name);
  }
  out += ']';
}

void append_events(Object& o, const ReportView& r) {
  o.str("detail", r.detail);
  std::string& out = o.key("events");
  out += '[';
  for (size_t i = 0; i < r.events.size(); ++i) {
    if (i) out += ',';
    const EventView& e = r.events[i];
    Object eo(out);
    eo.num("thread", e.tid);
    eo.str("what", e.what);
    eo.str("address", hex(e.addr));
    append_stack(eo.key("stack"), e.stack);
  }
  out += ']';
}

void append_threads(Object& o, const ReportView& r) {
  std::string& out = o.key("threads");
  out += '[';
  for (size_t i = 0; i < r.threads.size(); ++i) {
    if (i) out += ',';
    const ThreadView& t = r.threads[i];
    Object to(out);
    to.num("id", t.tid);
    if (t.tid != 0)
      to.num("parent", t.parent);
    else
      to.key("parent") += "null";
    to.num("os_tid", static_cast<uint64_t>(t.os_tid));
    to.boolean("running", t.running);
    append_stack(to.key("created_at"), t.created_at);
  }
  out += ']';
}

}  // namespace

std::string format_json(const ReportView& r) {
  std::string out;
  {
    Object o(out);
    o.str("kind", kind_name(r.kind));
    o.str("message", kind_message(r.kind));
    o.num("pid", static_cast<uint64_t>(r.pid));
    if (r.kind == engine::ReportKind::DataRace) {
      append_accesses(o, r);
      if (r.location)
        append_location(o, *r.location);
      else
        o.key("location") += "null";
    } else if (r.kind == engine::ReportKind::LockOrderInversion) {
      append_cycle(o, r);
    } else {
      append_events(o, r);
    }
    append_threads(o, r);
    const Frame* f = summary_frame(r);
    std::string summary = kind_message(r.kind);
    if (f && !f->file.empty()) summary += " " + f->file + ":" + std::to_string(f->line);
    if (f && !f->function.empty()) summary += " in " + f->function;
    o.str("summary", summary);
    o.str("fix", fix_advice(r));
    if (!r.docs.empty()) o.str("docs", r.docs);
  }
  out += '\n';
  return out;
}

std::string format_contention_json(const ContentionView& table) {
  std::string out;
  {
    Object o(out);
    o.str("kind", kind_name(engine::ReportKind::Contention));
    o.str("message", kind_message(engine::ReportKind::Contention));
    o.num("pid", static_cast<uint64_t>(table.pid));
    std::string& locks = o.key("locks");
    locks += '[';
    for (size_t i = 0; i < table.locks.size(); ++i) {
      if (i) locks += ',';
      const ContendedLock& l = table.locks[i];
      Object lo(locks);
      lo.str("address", hex(l.addr));
      lo.num("acquisitions", l.acquisitions);
      lo.num("contended", l.contended);
      lo.num("wait_total_ns", l.total_wait_ns);
      lo.num("wait_max_ns", l.max_wait_ns);
      lo.num("hold_total_ns", l.total_hold_ns);
      lo.num("hold_max_ns", l.max_hold_ns);
      lo.str("site_kind", l.created ? "created" : "first-locked");
      append_stack(lo.key("site"), l.site);
    }
    locks += ']';
  }
  out += '\n';
  return out;
}

}  // namespace conc::rt
