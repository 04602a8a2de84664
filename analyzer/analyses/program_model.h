// The whole-program view the checks work on, built from merged summaries.
//
// Threads are modelled as contexts: one per thread entry (a function or lambda
// passed to pthread_create, std::thread, std::jthread, std::async) and the
// locks its starts pass to it, and one
// per spawning function that no thread runs (typically main) covering only its
// code between starting threads and joining them. Each context is explored
// from its root down the call graph, mapping lock parameters to the caller's
// arguments; an access's effective lockset is the locks held along the way
// there, intersected over every call path within the context. Fields reached
// through `this` are skipped where the object is owned by the code at hand
// (a local or temporary object, or one under construction). Fields a thread
// entry reaches through a pointer parameter count as the object its starts
// pass (ThreadStart::objects), when they pass one, also in callees the entry
// passes the pointer on to.
//
// A function that fork()s with a shared mapping (see
// FunctionSummary::sharedMappings) has two more contexts: its code in the
// child's branch, and its code in the parent while the child runs, each with
// what it calls. They count only accesses to the shared mappings (globals and
// heap are the process's own copies after fork()), reached directly or
// through the pointer parameters they are passed to, and run concurrently
// with each other only.
#pragma once

#include <string>
#include <vector>

#include "analyses/path_facts.h"
#include "analyses/summary.h"

namespace conc::lint {

struct ThreadContext {
  enum class Kind { Entry, Spawner, ForkChild, ForkParent };
  Kind kind = Kind::Entry;
  std::string function;  // functionKey() of the root
  std::string name;
  std::vector<Location> startSites;  // for entries: where the threads start; for forks: the fork() calls
  bool many = false;                 // several instances may run at once
  SyncSet syncBefore;                // acquired by the starter before every start
  // Lock per parameter of the entry, "" when unknown: the starts of one entry
  // that pass different locks (`pthread_create(.., worker, &lock_a)`) are
  // contexts of their own, each with its locks.
  std::vector<std::string> binding = {};
  // Object per parameter (see ThreadStart::objects), kept only for entries
  // that access fields through their pointer parameters: starts passing
  // different objects are contexts of their own too.
  std::vector<std::string> objects = {};
  // Several of these threads may run at once within one run of the code that
  // starts them (a start in a loop, or two starts), which is what a local
  // object handed to them needs to be shared.
  bool manyPerCall = false;

  // A process of a fork() rather than a thread.
  bool process() const { return kind == Kind::ForkChild || kind == Kind::ForkParent; }
};

struct ContextAccess {
  std::string var;
  bool write = false;
  bool partitioned = false;  // see SharedLocation
  Location loc;
  Lockset locks;  // effective lockset
  size_t context = 0;
  SyncSet syncBefore;  // see Access, including what the callers did
  SyncSet syncAfter;
  std::string guardedBy;  // see Access
  // A field of an object local to one call of the function starting the
  // threads (see isLocalObject): shared by that call's threads and the call
  // itself only. `owner`: the access is that function's own.
  bool perCall = false;
  bool owner = false;
};

// One step of the call chain between two lock acquisitions.
struct ChainStep {
  Location loc;
  std::string callee;
};

// `to` is acquired while `from` is held.
struct LockEdge {
  std::string from, to;
  Location outer, inner;          // where `from` and `to` were acquired
  std::vector<ChainStep> chain;   // calls leading from `outer` to `inner`
  std::vector<std::string> held;  // every lock held at `inner`
  size_t context = 0;
};

struct ProgramModel {
  std::vector<ThreadContext> contexts;
  std::vector<ContextAccess> accesses;
  std::vector<LockEdge> edges;
  // The summaries the model was built from, for checks about single
  // functions and their callers (path events), and their index.
  ProgramSummary program;
  PathFacts paths;

  // Two contexts' code may run at the same time.
  bool concurrent(size_t a, size_t b) const {
    if (contexts[a].process() != contexts[b].process()) return false;
    return a != b || contexts[a].many;
  }
  // Two accesses may run at the same time.
  bool concurrent(const ContextAccess& a, const ContextAccess& b) const {
    if (a.owner || b.owner) return !(a.owner && b.owner) && a.context != b.context;
    if ((a.perCall || b.perCall) && a.context == b.context) return contexts[a.context].manyPerCall;
    return concurrent(a.context, b.context);
  }
};

ProgramModel buildProgramModel(ProgramSummary program);

}  // namespace conc::lint
