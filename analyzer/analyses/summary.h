// Per-function concurrency summaries: what one function does with locks,
// shared variables, calls and threads, as seen from its own body. Summaries are
// plain data so that those of every translation unit can be merged (and
// serialized) before the whole-program model is built from them.
#pragma once

#include <compare>
#include <map>
#include <string>
#include <vector>

#include <llvm/Support/JSON.h>

namespace conc::lint {

// A source position that stays meaningful across translation units.
struct Location {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
  auto operator<=>(const Location &) const = default;
};

enum class LockMode { Exclusive, Shared };

// A lock held at some program point, and where it was taken.
struct HeldLock {
  std::string lock;
  LockMode mode = LockMode::Exclusive;
  Location acquired;
};

// Locks held at a point, sorted by lock id, one entry per lock.
using Lockset = std::vector<HeldLock>;

// Lock ids name a lock by declaration: `name` for globals and statics,
// `Class::field` for members, `function::name` for locals. A lock reached
// through the function's own parameter N is `$N:fallback`, resolved through
// the call site's arguments (or to the fallback name when it cannot be).
bool isParameterLock(const std::string &lock);
unsigned parameterIndex(const std::string &lock);
std::string parameterFallback(const std::string &lock);
std::string makeParameterLock(unsigned index, const std::string &fallback);

struct Acquisition {
  std::string lock;
  LockMode mode = LockMode::Exclusive;
  bool tryLock = false; // a try-lock never blocks, so it cannot close a deadlock
  Location loc;
  Lockset held; // locks already held when this one is taken
};

struct Access {
  std::string var;
  bool write = false;
  Location loc;
  Lockset held;
  // The access runs after this function started threads and before it joined
  // them, so it overlaps with those threads.
  bool whileThreadsRun = false;
};

struct CallSite {
  std::string callee; // function id
  std::string calleeName;
  Location loc;
  Lockset held;
  std::vector<std::string> lockArgs; // lock id per argument, "" when none
  bool inLoop = false;
  bool whileThreadsRun = false;
};

struct ThreadStart {
  std::string entry; // function id of the thread's body
  std::string entryName;
  Location loc;
  bool inLoop = false;
};

struct FunctionSummary {
  std::string id;   // stable across translation units (USR)
  std::string name; // qualified name for messages
  Location loc;
  bool isMain = false;
  std::vector<Access> accesses;
  std::vector<Acquisition> acquisitions;
  std::vector<CallSite> calls;
  std::vector<ThreadStart> threadStarts;
  std::vector<Location> joins;
};

// Everything known about a program: the union of its translation units.
struct ProgramSummary {
  std::map<std::string, FunctionSummary> functions;

  // Functions defined in headers show up in several units with identical
  // bodies; the first summary of a function id wins.
  void merge(ProgramSummary &&other);
};

llvm::json::Value toJSON(const ProgramSummary &program);
bool fromJSON(const llvm::json::Value &value, ProgramSummary &program,
              llvm::json::Path path);

} // namespace conc::lint
