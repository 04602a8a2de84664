// Lock-id helpers, merging, and the JSON form of summaries.
#include "analyses/summary.h"

#include <llvm/ADT/StringRef.h>

namespace conc::lint {

bool isParameterLock(const std::string& lock) { return !lock.empty() && lock[0] == '$'; }

unsigned parameterIndex(const std::string& lock) {
  unsigned index = 0;
  llvm::StringRef(lock).drop_front().split(':').first.getAsInteger(10, index);
  return index;
}

std::string parameterFallback(const std::string& lock) {
  return llvm::StringRef(lock).split(':').second.str();
}

std::string makeParameterLock(unsigned index, const std::string& fallback) {
  return "$" + std::to_string(index) + ":" + fallback;
}

std::string makePointeeId(const std::string& object, const std::string& field) {
  return object + "->" + field;
}

bool isParameterPointee(const std::string& var) {
  return !var.empty() && var[0] == '$' && var.find("->") != std::string::npos;
}

unsigned pointeeParameter(const std::string& var) {
  unsigned index = 0;
  llvm::StringRef(var).drop_front().split("->").first.getAsInteger(10, index);
  return index;
}

std::string pointeeField(const std::string& var) { return llvm::StringRef(var).split("->").second.str(); }

bool isLocalObject(const std::string& object) {
  return !object.empty() && (object[0] == '*' || object[0] == '&');
}

std::string functionKey(const FunctionSummary& function) { return function.id + "@" + function.loc.file; }

// By value and moved into the map (every caller passes an rvalue); clang-tidy
// 16 loses the move inside libstdc++'s try_emplace.
// NOLINTNEXTLINE(performance-unnecessary-value-param): moved, not copied
void ProgramSummary::add(FunctionSummary function) {
  std::string key = functionKey(function);
  functions.try_emplace(std::move(key), std::move(function));
}

void ProgramSummary::merge(ProgramSummary&& other) {
  for (auto& [key, function] : other.functions) functions.try_emplace(key, std::move(function));
  declaredOrders.merge(other.declaredOrders);
}

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::ObjectMapper;
using llvm::json::Path;
using llvm::json::Value;

static const char* modeName(LockMode mode) { return mode == LockMode::Shared ? "shared" : "exclusive"; }

Value toJSON(const Location& loc) {
  return Object{{"file", loc.file}, {"line", loc.line}, {"column", loc.column}};
}
// llvm::json reads integers as int64_t only.
static bool mapUnsigned(ObjectMapper& o, llvm::StringLiteral key, unsigned& out) {
  int64_t value = 0;
  if (!o.map(key, value)) return false;
  out = static_cast<unsigned>(value);
  return true;
}

bool fromJSON(const Value& value, Location& loc, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("file", loc.file) && mapUnsigned(o, "line", loc.line) &&
         mapUnsigned(o, "column", loc.column);
}

bool fromJSON(const Value& value, LockMode& mode, Path path) {
  auto text = value.getAsString();
  if (!text || (*text != "shared" && *text != "exclusive")) {
    path.report("expected \"shared\" or \"exclusive\"");
    return false;
  }
  mode = *text == "shared" ? LockMode::Shared : LockMode::Exclusive;
  return true;
}

Value toJSON(const HeldLock& held) {
  return Object{{"lock", held.lock},
                {"mode", modeName(held.mode)},
                {"acquired", toJSON(held.acquired)},
                {"instance", held.instance}};
}
bool fromJSON(const Value& value, HeldLock& held, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("lock", held.lock) && o.map("mode", held.mode) && o.map("acquired", held.acquired) &&
         o.mapOptional("instance", held.instance);
}

static Value stringArray(const std::vector<std::string>& items) {
  Array array;
  for (const std::string& item : items) array.push_back(item);
  return array;
}

template <typename T>
static Value arrayOf(const std::vector<T>& items) {
  Array array;
  for (const T& item : items) array.push_back(toJSON(item));
  return array;
}

Value toJSON(const Acquisition& a) {
  return Object{{"lock", a.lock},
                {"mode", modeName(a.mode)},
                {"try", a.tryLock},
                {"loc", toJSON(a.loc)},
                {"held", arrayOf(a.held)},
                {"released", stringArray(a.released)},
                {"whileThreadsRun", a.whileThreadsRun},
                {"instance", a.instance}};
}
bool fromJSON(const Value& value, Acquisition& a, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("lock", a.lock) && o.map("mode", a.mode) && o.map("try", a.tryLock) &&
         o.map("loc", a.loc) && o.map("held", a.held) && o.mapOptional("released", a.released) &&
         o.map("whileThreadsRun", a.whileThreadsRun) && o.mapOptional("instance", a.instance);
}

static bool mapForkSide(ObjectMapper& o, ForkSide& side, Path path) {
  int64_t value = 0;
  if (!o.mapOptional("fork", value)) return false;
  if (value < 0 || value > static_cast<int64_t>(ForkSide::Parent)) {
    path.field("fork").report("unknown fork side");
    return false;
  }
  side = static_cast<ForkSide>(value);
  return true;
}

Value toJSON(const Access& a) {
  return Object{{"var", a.var},
                {"write", a.write},
                {"viaThis", a.viaThis},
                {"partitioned", a.partitioned},
                {"loc", toJSON(a.loc)},
                {"held", arrayOf(a.held)},
                {"released", stringArray(a.released)},
                {"syncBefore", stringArray(a.syncBefore)},
                {"syncAfter", stringArray(a.syncAfter)},
                {"whileThreadsRun", a.whileThreadsRun},
                {"guardedBy", a.guardedBy},
                {"pointee", a.pointee},
                {"fork", static_cast<int64_t>(a.fork)}};
}
bool fromJSON(const Value& value, Access& a, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("var", a.var) && o.map("write", a.write) && o.map("viaThis", a.viaThis) &&
         o.map("partitioned", a.partitioned) && o.map("loc", a.loc) && o.map("held", a.held) &&
         o.mapOptional("released", a.released) && o.map("syncBefore", a.syncBefore) &&
         o.map("syncAfter", a.syncAfter) && o.map("whileThreadsRun", a.whileThreadsRun) &&
         o.mapOptional("guardedBy", a.guardedBy) && o.mapOptional("pointee", a.pointee) &&
         mapForkSide(o, a.fork, path);
}

bool fromJSON(const Value& value, CallObject& object, Path path) {
  ObjectMapper o(value, path);
  int64_t kind = 0;
  if (!o || !o.map("object", kind)) return false;
  if (kind < 0 || kind > static_cast<int64_t>(CallObject::Owned)) {
    path.field("object").report("unknown call object kind");
    return false;
  }
  object = static_cast<CallObject>(kind);
  return true;
}

Value toJSON(const CallSite& c) {
  return Object{{"callee", c.callee},
                {"calleeName", c.calleeName},
                {"loc", toJSON(c.loc)},
                {"held", arrayOf(c.held)},
                {"released", stringArray(c.released)},
                {"lockArgs", stringArray(c.lockArgs)},
                {"syncBefore", stringArray(c.syncBefore)},
                {"syncAfter", stringArray(c.syncAfter)},
                {"inLoop", c.inLoop},
                {"whileThreadsRun", c.whileThreadsRun},
                {"object", static_cast<int64_t>(c.object)},
                {"fork", static_cast<int64_t>(c.fork)},
                {"objects", stringArray(c.objects)}};
}
bool fromJSON(const Value& value, CallSite& c, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("callee", c.callee) && o.map("calleeName", c.calleeName) && o.map("loc", c.loc) &&
         o.map("held", c.held) && o.mapOptional("released", c.released) && o.map("lockArgs", c.lockArgs) &&
         o.map("syncBefore", c.syncBefore) && o.map("syncAfter", c.syncAfter) && o.map("inLoop", c.inLoop) &&
         o.map("whileThreadsRun", c.whileThreadsRun) && fromJSON(value, c.object, path) &&
         mapForkSide(o, c.fork, path) && o.mapOptional("objects", c.objects);
}

Value toJSON(const ThreadStart& t) {
  return Object{{"entry", t.entry},
                {"entryName", t.entryName},
                {"loc", toJSON(t.loc)},
                {"syncBefore", stringArray(t.syncBefore)},
                {"inLoop", t.inLoop},
                {"lockArgs", stringArray(t.lockArgs)},
                {"objects", stringArray(t.objects)}};
}
bool fromJSON(const Value& value, ThreadStart& t, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("entry", t.entry) && o.map("entryName", t.entryName) && o.map("loc", t.loc) &&
         o.map("syncBefore", t.syncBefore) && o.map("inLoop", t.inLoop) &&
         o.mapOptional("lockArgs", t.lockArgs) && o.mapOptional("objects", t.objects);
}

Value toJSON(const HandedCallable& h) {
  return Object{{"start", toJSON(h.start)}, {"signature", h.signature}};
}
bool fromJSON(const Value& value, HandedCallable& h, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("start", h.start) && o.map("signature", h.signature);
}

Value toJSON(const Replacement& r) {
  return Object{{"begin", toJSON(r.begin)}, {"end", toJSON(r.end)}, {"text", r.text}};
}
bool fromJSON(const Value& value, Replacement& r, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("begin", r.begin) && o.map("end", r.end) && o.map("text", r.text);
}

Value toJSON(const PathEvent& e) {
  return Object{{"kind", static_cast<int64_t>(e.kind)},
                {"loc", toJSON(e.loc)},
                {"subject", e.subject},
                {"detail", e.detail},
                {"origin", toJSON(e.origin)},
                {"held", arrayOf(e.held)},
                {"names", stringArray(e.names)},
                {"flag", e.flag},
                {"fix", arrayOf(e.fix)}};
}
bool fromJSON(const Value& value, PathEvent& e, Path path) {
  ObjectMapper o(value, path);
  int64_t kind = 0;
  if (!o || !o.map("kind", kind)) return false;
  if (kind < 0 || kind > static_cast<int64_t>(PathEventKind::Exception)) {
    path.field("kind").report("unknown path event kind");
    return false;
  }
  e.kind = static_cast<PathEventKind>(kind);
  return o.map("loc", e.loc) && o.map("subject", e.subject) && o.map("detail", e.detail) &&
         o.map("origin", e.origin) && o.map("held", e.held) && o.map("names", e.names) &&
         o.map("flag", e.flag) && o.mapOptional("fix", e.fix);
}

Value toJSON(const ForkSite& f) { return Object{{"loc", toJSON(f.loc)}, {"inLoop", f.inLoop}}; }
bool fromJSON(const Value& value, ForkSite& f, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("loc", f.loc) && o.map("inLoop", f.inLoop);
}

Value toJSON(const FunctionSummary& f) {
  return Object{{"id", f.id},
                {"name", f.name},
                {"loc", toJSON(f.loc)},
                {"isMain", f.isMain},
                {"accesses", arrayOf(f.accesses)},
                {"acquisitions", arrayOf(f.acquisitions)},
                {"calls", arrayOf(f.calls)},
                {"threadStarts", arrayOf(f.threadStarts)},
                {"handedCallables", arrayOf(f.handedCallables)},
                {"indirectCalls", stringArray(f.indirectCalls)},
                {"joins", arrayOf(f.joins)},
                {"pathEvents", arrayOf(f.pathEvents)},
                {"forks", arrayOf(f.forks)},
                {"sharedMappings", stringArray(f.sharedMappings)}};
}
bool fromJSON(const Value& value, FunctionSummary& f, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("id", f.id) && o.map("name", f.name) && o.map("loc", f.loc) &&
         o.map("isMain", f.isMain) && o.map("accesses", f.accesses) &&
         o.map("acquisitions", f.acquisitions) && o.map("calls", f.calls) &&
         o.map("threadStarts", f.threadStarts) && o.mapOptional("handedCallables", f.handedCallables) &&
         o.mapOptional("indirectCalls", f.indirectCalls) && o.map("joins", f.joins) &&
         o.map("pathEvents", f.pathEvents) && o.mapOptional("forks", f.forks) &&
         o.mapOptional("sharedMappings", f.sharedMappings);
}

Value toJSON(const DeclaredOrder& order) {
  return Object{{"before", order.before}, {"after", order.after}, {"loc", toJSON(order.loc)}};
}
bool fromJSON(const Value& value, DeclaredOrder& order, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("before", order.before) && o.map("after", order.after) && o.map("loc", order.loc);
}

Value toJSON(const ProgramSummary& program) {
  Array functions;
  for (const auto& [id, function] : program.functions) functions.push_back(toJSON(function));
  Array orders;
  for (const DeclaredOrder& order : program.declaredOrders) orders.push_back(toJSON(order));
  return Object{{"functions", std::move(functions)}, {"declaredOrders", std::move(orders)}};
}

bool fromJSON(const Value& value, ProgramSummary& program, Path path) {
  std::vector<FunctionSummary> functions;
  std::vector<DeclaredOrder> orders;
  ObjectMapper o(value, path);
  if (!o || !o.map("functions", functions) || !o.mapOptional("declaredOrders", orders)) return false;
  for (FunctionSummary& function : functions) program.add(std::move(function));
  program.declaredOrders.insert(orders.begin(), orders.end());
  return true;
}

}  // namespace conc::lint
