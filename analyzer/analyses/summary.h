// Per-function concurrency summaries: what one function does with locks,
// shared variables, calls and threads, as seen from its own body. Summaries are
// plain data so that those of every translation unit can be merged (and
// serialized) before the whole-program model is built from them.
#pragma once

#include <compare>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <llvm/Support/JSON.h>

namespace conc::lint {

// A source position that stays meaningful across translation units.
struct Location {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
  auto operator<=>(const Location&) const = default;
};

// A machine-applicable edit: the text from `begin` up to `end` (exclusive,
// same file) becomes `text`.
struct Replacement {
  Location begin;
  Location end;
  std::string text;
  bool operator==(const Replacement&) const = default;
};

enum class LockMode { Exclusive, Shared };

// Which object a lock id that stands for several means, where the code says:
// `$N` the object reached through parameter N (`from.mu` in
// `transfer(Account& from, ...)`, resolved through the call sites), `[v]` the
// array element at index `v` (a local), `[v]%` an element at an index
// computed from `v` modulo something (`forks[(v + 1) % n]`, the next one
// around a circle). Empty when not known.
using LockInstance = std::string;

// A lock held at some program point, and where it was taken.
struct HeldLock {
  std::string lock;
  LockMode mode = LockMode::Exclusive;
  Location acquired;
  LockInstance instance = {};
  bool operator==(const HeldLock&) const = default;
};

// Locks held at a point, sorted by lock id, one entry per lock.
using Lockset = std::vector<HeldLock>;

// Synchronization objects (atomics, semaphores, ...; see sync_api.h), sorted.
using SyncSet = std::vector<std::string>;

// Locks the function released on some path to a point. A caller's lock
// released there (`mu.unlock(); slow(); mu.lock();` in a function called with
// `mu` held) no longer counts as held, unless the function took it back.
using ReleasedSet = std::vector<std::string>;

// Lock ids name a lock by declaration: `name@file` for globals and statics
// (the file that defines them; bare `name` where only `extern` is seen),
// `Class::field@file` for members, `function::name` for locals. A lock reached
// through the function's own parameter N is `$N:fallback`, resolved through
// the call site's arguments (or to the fallback name when it cannot be).
bool isParameterLock(const std::string& lock);
unsigned parameterIndex(const std::string& lock);
std::string parameterFallback(const std::string& lock);
std::string makeParameterLock(unsigned index, const std::string& fallback);

// Data reached through a pointer (Access::pointee) is named by the object and
// the field: `$N->Class::field@file` for the object parameter N points to, as
// a thread entry sees it, resolved through the thread starts (see
// ThreadStart::objects), and `OBJECT->Class::field@file` once the object is
// known.
std::string makePointeeId(const std::string& object, const std::string& field);
bool isParameterPointee(const std::string& var);
// For `$N->field`: N and `field`.
unsigned pointeeParameter(const std::string& var);
std::string pointeeField(const std::string& var);
// An object local to one call of the function that starts the threads
// (`*f::p@file:line`, `&f::t@file:line`), not a global.
bool isLocalObject(const std::string& object);

// Where code runs relative to a fork() of its function: in the child process
// (the branch where fork() returned 0), or in the parent while that child may
// run (before waiting for it). See ForkRegion in process_api.h.
enum class ForkSide { None, Child, Parent };

struct Acquisition {
  std::string lock;
  LockMode mode = LockMode::Exclusive;
  bool tryLock = false;  // a try-lock never blocks, so it cannot close a deadlock
  Location loc;
  Lockset held;  // locks already held when this one is taken
  ReleasedSet released;
  bool whileThreadsRun = false;  // see Access
  LockInstance instance = {};
};

struct Access {
  std::string var;
  bool write = false;
  bool viaThis = false;      // a field of the object the method runs on
  bool partitioned = false;  // an array element picked by a computed index
  Location loc;
  Lockset held;
  ReleasedSet released;
  SyncSet syncBefore;  // objects acquired (in the release/acquire sense) before, on all paths
  SyncSet syncAfter;   // objects released after, on some path
  // The access runs after this function started threads and before it joined
  // them, so it overlaps with those threads.
  bool whileThreadsRun = false;
  std::string guardedBy;  // the lock GUARDED_BY names for the variable, if any
  // A field reached through a pointer (see makePointeeId): through a pointer
  // parameter (`$N->...`, `arg->count` in a start routine), or through an
  // object this function hands to the threads it starts (`tally->count`
  // while they run; only recorded then), or through a shared mapping this
  // function forks with (see FunctionSummary::sharedMappings; only recorded
  // on a fork side). A pointee without a field, `*p`, is `OBJECT->`.
  bool pointee = false;
  ForkSide fork = ForkSide::None;
};

// What a method call runs on: its caller's own object, an object the caller
// owns (a local or a temporary, not yet visible to other threads), or any
// other object.
enum class CallObject { None, This, Owned };

struct CallSite {
  std::string callee;  // function id
  std::string calleeName;
  Location loc;
  Lockset held;
  ReleasedSet released;
  // Lock id per argument, or the id of an object holding locks (a global
  // `Account`, see LockInstance); "" for the other arguments.
  std::vector<std::string> lockArgs;
  SyncSet syncBefore;
  SyncSet syncAfter;
  bool inLoop = false;
  bool whileThreadsRun = false;
  CallObject object = CallObject::None;
  ForkSide fork = ForkSide::None;
  // Per argument, the object a pointer argument points to, as far as the
  // model follows objects into callees: `$N` the caller's pointer parameter N
  // passed on, or a shared mapping (see FunctionSummary::sharedMappings); ""
  // otherwise, none when no argument is either.
  std::vector<std::string> objects = {};
};

struct ThreadStart {
  std::string entry;  // function id of the thread's body
  std::string entryName;
  Location loc;
  SyncSet syncBefore;  // what the new thread's code is ordered after
  bool inLoop = false;
  std::vector<std::string> lockArgs = {};  // per parameter of the entry, as CallSite's
  // Per parameter of the entry, the object a pointer argument points to when
  // it is the same for every thread the start creates (none when no argument
  // is known): `g@file` a global or static (`&g`), `*f::p@file:line` what a
  // local pointer of the starter points to (`p`, assigned once, outside
  // loops), `&f::t@file:line` a local of the starter (`&t`, declared outside
  // loops); "" otherwise (`&args[i]`, `malloc(...)`, an integer).
  std::vector<std::string> objects = {};
};

// A function or lambda handed to a call as an argument: a callback the callee
// may store for a thread to run later (a thread pool's task, a scheduled job).
// It is a thread entry when code running in a thread calls, through a function
// pointer or std::function, something of its signature.
struct HandedCallable {
  ThreadStart start;      // where it was handed, as if a thread started there
  std::string signature;  // see callableSignature() in thread_api.h
};

// --- path events (see path_events.h) ------------------------------------

enum class PathEventKind {
  // subject: lock; origin: where it was taken; loc: the exit (return, end of
  // the function, pthread_exit, or a call that may throw); detail: "return",
  // "exit" or "throw:CALLEE" (names: the callee's id). flag: held on every
  // normal exit (a wrapper). fix: the edits that make the lock an RAII guard,
  // when that is safe. detail "unposted": subject is a semaphore the function
  // posts once and never waits for, origin that post, and no path to this
  // exit posts it.
  LockLeak,
  // subject: lock; origin: where it is already held; loc: the second
  // acquisition. flag: held there on every path.
  DoubleLock,
  // subject: lock; loc: the unlock. flag: this function released it already
  // on every path (origin: where).
  UnlockNotHeld,
  // subject: a lock of a recursive kind (type or attributes).
  RecursiveLock,
  // subject: the wait's mutex; detail: the condition variable; flag: inside a
  // loop or the predicate overload; names: variables its predicate reads;
  // held: locks held on every path.
  Wait,
  // subject: the condition variable; held.
  Notify,
  // detail: the blocking call as written; subject: for a condition wait, its
  // mutex (the wait releases that one); held; names: locks released on every
  // path before (a caller's lock dropped around the call).
  Blocking,
  // subject: the std::thread variable; origin: its construction; loc: where
  // it is destroyed while joinable on some path.
  ThreadLeak,
  // subject: the pthread_t handle; detail: the entry function id; flag: the
  // thread was created with attributes (possibly detached).
  PthreadCreate,
  // subject: a handle joined, detached, or handed elsewhere; "self" for
  // pthread_detach(pthread_self()).
  PthreadEnd,
  // loc: fork(); flag: this function started threads before it.
  Fork,
  // loc: a call in fork()'s child before exec that is not async-signal-safe,
  // or (subject: its id) a call of the program's own; detail: the call;
  // origin: the fork.
  ForkChildUnsafe,
  // subject: the lock tried in a loop; held: the locks held on some path
  // there and released in the loop; flag: the loop backs off (sleep, yield).
  TryRetry,
  // subject: the shared variable; detail: the lock; origin: the read in an
  // earlier critical section; loc: the write of a value computed from it.
  StaleWrite,
  // loc: where this function deals in exceptions; detail: "throw" (a throw
  // outside its try blocks), "try", or "call:NAME" (a library call that may
  // throw, outside its try blocks; the first one only).
  Exception,
};

struct PathEvent {
  PathEventKind kind = PathEventKind::LockLeak;
  Location loc;
  std::string subject;
  std::string detail;
  Location origin;
  Lockset held;
  std::vector<std::string> names;
  bool flag = false;
  std::vector<Replacement> fix = {};
  bool operator==(const PathEvent&) const = default;
};

// A fork() call, and whether it sits in a loop (several children at once).
struct ForkSite {
  Location loc;
  bool inLoop = false;
};

struct FunctionSummary {
  std::string id;    // stable across translation units (USR)
  std::string name;  // qualified name for messages
  Location loc;
  bool isMain = false;
  std::vector<Access> accesses;
  std::vector<Acquisition> acquisitions;
  std::vector<CallSite> calls;
  std::vector<ThreadStart> threadStarts;
  std::vector<HandedCallable> handedCallables;
  std::vector<std::string> indirectCalls;  // signatures called through pointers
  std::vector<Location> joins;
  std::vector<PathEvent> pathEvents;
  std::vector<ForkSite> forks;
  // Locals pointing to memory a forked child shares with its parent (`p =
  // mmap(..., MAP_SHARED, ...)`, assigned once, outside loops), as objects:
  // `*f::p@file:line` (see ThreadStart::objects).
  std::vector<std::string> sharedMappings;
};

// Everything known about a program: the union of its translation units.
// Functions are keyed by id and defining file: a function defined in a header
// shows up in several units with one body (the first summary wins), while
// separate programs analyzed together may each define their own `main` or
// `worker`. Calls pick the definition in the caller's file when there are
// several (see ProgramModel).
// ACQUIRED_BEFORE / ACQUIRED_AFTER on a lock's declaration: whenever both
// are held, `before` is taken first.
struct DeclaredOrder {
  std::string before, after;  // lock ids
  Location loc;               // the declaration carrying the attribute
  auto operator<=>(const DeclaredOrder&) const = default;
};

struct ProgramSummary {
  std::map<std::string, FunctionSummary> functions;
  std::set<DeclaredOrder> declaredOrders;

  void add(FunctionSummary function);
  void merge(ProgramSummary&& other);
};

std::string functionKey(const FunctionSummary& function);

llvm::json::Value toJSON(const ProgramSummary& program);
bool fromJSON(const llvm::json::Value& value, ProgramSummary& program, llvm::json::Path path);

}  // namespace conc::lint
