// Thread contexts and their exploration down the call graph.
#include "analyses/program_model.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <llvm/ADT/STLExtras.h>

#include "analyses/shared_data.h"

namespace conc::lint {
namespace {

// Bounds the (function, lock binding, held locks) states explored per
// context; real programs stay far below it.
constexpr size_t kMaxFramesPerContext = 20000;

SyncSet intersect(const SyncSet& a, const SyncSet& b) {
  SyncSet out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

SyncSet unite(const SyncSet& a, const SyncSet& b) {
  SyncSet out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Lockset intersect(const Lockset& a, const Lockset& b) {
  Lockset out;
  for (const HeldLock& lock : a) {
    auto match =
        std::find_if(b.begin(), b.end(), [&](const HeldLock& other) { return other.lock == lock.lock; });
    if (match == b.end()) continue;
    out.push_back(lock);
    if (match->mode == LockMode::Shared) out.back().mode = LockMode::Shared;
  }
  return out;
}

struct Frame {
  const FunctionSummary* function = nullptr;
  std::vector<std::string> binding;          // lock id per parameter, "" when unknown
  Lockset entry;                             // held on entry, from the callers
  std::map<std::string, size_t> entryDepth;  // chain index where each was taken
  std::vector<ChainStep> chain;
  bool root = false;
  bool ownsThis = false;                  // `this` is an object no other thread sees
  SyncSet syncBefore;                     // ordered after these, by the callers
  SyncSet syncAfter;                      // and before these
  std::vector<std::string> objects = {};  // object per pointer parameter, "" when unknown
};

class ModelBuilder {
 public:
  explicit ModelBuilder(const ProgramSummary& program) : program_(program) {
    for (const auto& [key, function] : program.functions) {
      definitions_[function.id].push_back(&function);
      for (const Access& access : function.accesses) noteDefinedName(access.var);
      for (const Acquisition& acquisition : function.acquisitions) noteDefinedName(acquisition.lock);
    }
    for (const auto& [key, function] : program.functions) {
      for (const CallSite& call : function.calls)
        if (const FunctionSummary* callee = lookup(call.callee, function))
          callers_[callee].push_back({&function, call.inLoop});
      for (const ThreadStart& start : function.threadStarts)
        if (const FunctionSummary* entry = lookup(start.entry, function))
          starters_[entry].push_back({&function, &start, false});
    }
    addCallbackStarts();
  }

  ProgramModel build() {
    addEntryContexts();
    addSpawnerContexts();
    addForkContexts();
    for (size_t i = 0; i < model_.contexts.size(); ++i) explore(i);
    for (auto& [key, access] : accesses_) model_.accesses.push_back(std::move(access));
    return std::move(model_);
  }

 private:
  struct Caller {
    const FunctionSummary* function;
    bool inLoop;
  };
  struct Starter {
    const FunctionSummary* function;
    const ThreadStart* start;
    bool callback;  // handed over, run by another thread (see addCallbackStarts)
  };

  // The definition a use of `id` in `from` refers to: the only one, or the
  // one in the same file when separate programs define the same name.
  const FunctionSummary* lookup(const std::string& id, const FunctionSummary& from) const {
    auto found = definitions_.find(id);
    if (found == definitions_.end()) return nullptr;  // defined outside the analyzed sources
    for (const FunctionSummary* candidate : found->second)
      if (candidate->loc.file == from.loc.file) return candidate;
    return found->second.front();
  }

  // `name@file` ids name a definition; remember which bare names have one.
  void noteDefinedName(const std::string& id) {
    size_t at = id.find('@');
    if (at != std::string::npos && !isParameterLock(id) && id.find("->") == std::string::npos)
      definedNames_[id.substr(0, at)].insert(id);
  }

  // A bare id (from a unit that saw only `extern`) names the one definition.
  std::string canonical(const std::string& id) const {
    auto found = definedNames_.find(id);
    return found != definedNames_.end() && found->second.size() == 1 ? *found->second.begin() : id;
  }

  // --- how often code runs ----------------------------------------------------

  unsigned startCount(const FunctionSummary* entry) {
    // find(), not [], so that addEntryContexts never meets an empty entry.
    auto found = starters_.find(entry);
    if (found == starters_.end()) return 0;
    std::vector<const Starter*> all;
    for (const Starter& starter : found->second) all.push_back(&starter);
    return startCount(entry, all);
  }

  // How many threads `starters` (some of `entry`'s) start: 2 stands for many.
  unsigned startCount(const FunctionSummary* entry, const std::vector<const Starter*>& starters) {
    unsigned count = 0;
    bool callbacks = false;
    for (const Starter* starter : starters) {
      callbacks = callbacks || starter->callback;
      if (!starter->callback) count += starter->start->inLoop || runsMany(starter->function) ? 2 : 1;
    }
    if (auto callback = callbackParallel_.find(entry); callbacks && callback != callbackParallel_.end())
      count += callback->second ? 2 : 1;
    return count;
  }

  // A function may run more than once over the program's life: called from a
  // loop, from two places, or from code that itself runs many times.
  bool runsMany(const FunctionSummary* function) {
    if (auto known = runsMany_.find(function); known != runsMany_.end()) return known->second;
    if (function->isMain || !inProgress_.insert(function).second) return false;
    bool many = startCount(function) >= 2;
    const std::vector<Caller>& callers = callers_[function];
    if (callers.size() >= 2) many = true;
    for (const Caller& caller : callers) many = many || caller.inLoop || runsMany(caller.function);
    inProgress_.erase(function);
    return runsMany_[function] = many;
  }

  // --- contexts ---------------------------------------------------------------

  // The functions `roots` reach through direct calls.
  std::set<const FunctionSummary*> reachable(std::vector<const FunctionSummary*> work) const {
    std::set<const FunctionSummary*> inThreads;
    while (!work.empty()) {
      const FunctionSummary* function = work.back();
      work.pop_back();
      if (!inThreads.insert(function).second) continue;
      for (const CallSite& call : function->calls)
        if (const FunctionSummary* callee = lookup(call.callee, *function)) work.push_back(callee);
    }
    return inThreads;
  }

  std::set<const FunctionSummary*> runInThreads() const {
    std::vector<const FunctionSummary*> entries;
    entries.reserve(starters_.size());
    for (const auto& [entry, starters] : starters_) entries.push_back(entry);
    return reachable(std::move(entries));
  }

  // A callable handed anywhere (Env::Schedule(&BGWork, this), pool.submit(task))
  // starts a thread when code running in a thread calls, through a pointer or
  // std::function, something of its signature: the worker loop of a pool, a
  // start routine that calls the user's function. That is where the callee
  // stored it; following the pointer through the store would not be sounder.
  // Repeated because a callback may run callbacks of its own.
  void addCallbackStarts() {
    std::set<const ThreadStart*> added;
    std::map<const FunctionSummary*, std::string> callbacks;  // entry -> signature
    for (bool grew = true; grew;) {
      grew = false;
      std::set<std::string> runByThreads;
      for (const FunctionSummary* function : runInThreads())
        runByThreads.insert(function->indirectCalls.begin(), function->indirectCalls.end());
      for (const auto& [key, function] : program_.functions)
        for (const HandedCallable& handed : function.handedCallables)
          if (runByThreads.count(handed.signature) && !added.count(&handed.start))
            if (const FunctionSummary* entry = lookup(handed.start.entry, function)) {
              starters_[entry].push_back({&function, &handed.start, true});
              callbacks[entry] = handed.signature;
              added.insert(&handed.start);
              grew = true;
            }
    }
    // However often it is handed over, a callback runs in parallel with itself
    // only when threads that run many at once run it (a pool's workers, not a
    // single background thread working through its queue).
    for (const auto& [callback, signature] : callbacks) callbackParallel_[callback] = false;
    for (const auto& [entry, starters] : starters_) {
      if (callbacks.count(entry) || startCount(entry) < 2) continue;
      for (const FunctionSummary* function : reachable({entry}))
        for (const auto& [callback, signature] : callbacks)
          if (llvm::is_contained(function->indirectCalls, signature)) callbackParallel_[callback] = true;
    }
    runsMany_.clear();  // computed above before every callback was known
  }

  // The locks a start passes to the entry's parameters. A lock the starter
  // got as a parameter of its own is not followed (unknown, "").
  std::vector<std::string> bindingOf(const ThreadStart& start) const {
    std::vector<std::string> binding;
    binding.reserve(start.lockArgs.size());
    for (const std::string& lock : start.lockArgs)
      binding.push_back(lock.empty() || isParameterLock(lock) ? "" : canonical(lock));
    while (!binding.empty() && binding.back().empty()) binding.pop_back();
    return binding;
  }

  // The objects a start hands to the entry's pointer parameters, when the
  // entry accesses fields through them.
  static std::vector<std::string> objectsOf(const ThreadStart& start, const FunctionSummary& entry) {
    bool throughParameters =
        std::any_of(entry.accesses.begin(), entry.accesses.end(),
                    [](const Access& access) { return access.pointee && isParameterPointee(access.var); }) ||
        std::any_of(entry.calls.begin(), entry.calls.end(), [](const CallSite& call) {
          return std::any_of(call.objects.begin(), call.objects.end(), isParameterLock);
        });
    return throughParameters ? start.objects : std::vector<std::string>{};
  }

  void addEntryContexts() {
    for (auto& [entry, starters] : starters_) {
      using Key = std::pair<std::vector<std::string>, std::vector<std::string>>;
      std::map<Key, std::vector<const Starter*>> byBinding;
      for (const Starter& starter : starters)
        byBinding[{bindingOf(*starter.start), objectsOf(*starter.start, *entry)}].push_back(&starter);
      for (const auto& [key, group] : byBinding) {
        const auto& [binding, objects] = key;
        ThreadContext context{ThreadContext::Kind::Entry,
                              functionKey(*entry),
                              group.front()->start->entryName,
                              {},
                              false,
                              group.front()->start->syncBefore,
                              binding};
        for (const Starter* starter : group) {
          context.startSites.push_back(starter->start->loc);
          context.syncBefore = intersect(context.syncBefore, starter->start->syncBefore);
        }
        std::sort(context.startSites.begin(), context.startSites.end());
        context.many = startCount(entry, group) >= 2;
        context.objects = objects;
        unsigned perCall = 0;
        for (const Starter* starter : group)
          if (!starter->callback) perCall += starter->start->inLoop ? 2 : 1;
        context.manyPerCall = perCall >= 2;
        model_.contexts.push_back(std::move(context));
      }
    }
    std::sort(model_.contexts.begin(), model_.contexts.end(),
              [](const ThreadContext& a, const ThreadContext& b) { return a.startSites < b.startSites; });
  }

  void addSpawnerContexts() {
    std::set<const FunctionSummary*> inThreads = runInThreads();
    for (const auto& [key, function] : program_.functions)
      if (!function.threadStarts.empty() && !inThreads.count(&function))
        model_.contexts.push_back({ThreadContext::Kind::Spawner, key, function.name, {}, false, {}, {}});
  }

  // A child's branch and the parent's code while the child runs, for
  // functions that fork with memory the two share.
  void addForkContexts() {
    for (const auto& [key, function] : program_.functions) {
      if (function.forks.empty() || function.sharedMappings.empty()) continue;
      std::vector<Location> sites;
      bool inLoop = false;
      for (const ForkSite& fork : function.forks) {
        sites.push_back(fork.loc);
        inLoop = inLoop || fork.inLoop;
      }
      model_.contexts.push_back({ThreadContext::Kind::ForkChild, key, function.name, sites, inLoop, {}, {}});
      model_.contexts.push_back({ThreadContext::Kind::ForkParent, key, function.name, sites, false, {}, {}});
    }
  }

  static ForkSide sideOf(const ThreadContext& context) {
    if (context.kind == ThreadContext::Kind::ForkChild) return ForkSide::Child;
    return context.kind == ThreadContext::Kind::ForkParent ? ForkSide::Parent : ForkSide::None;
  }

  // --- exploration ------------------------------------------------------------

  std::string resolve(const std::string& lock, const Frame& frame) const {
    if (!isParameterLock(lock)) return canonical(lock);
    unsigned index = parameterIndex(lock);
    if (index < frame.binding.size() && !frame.binding[index].empty()) return frame.binding[index];
    return parameterFallback(lock);
  }

  // A lock instance in the frame's terms: `$N` becomes the object bound to
  // parameter N (empty when none is), an array index is qualified by the
  // function whose local it names.
  LockInstance resolveInstance(const LockInstance& instance, const Frame& frame) const {
    if (instance.empty()) return instance;
    if (instance.front() == '[') return functionKey(*frame.function) + instance;
    unsigned index = static_cast<unsigned>(std::stoul(instance.substr(1)));
    if (index >= frame.binding.size() || isParameterLock(frame.binding[index])) return "";
    return frame.binding[index];
  }

  // The frame's entry locks the function has not released, plus its own,
  // resolved.
  Lockset effective(const Lockset& local, const ReleasedSet& released, const Frame& frame) const {
    Lockset locks;
    for (const HeldLock& lock : frame.entry)
      if (std::none_of(released.begin(), released.end(),
                       [&](const std::string& id) { return resolve(id, frame) == lock.lock; }))
        locks.push_back(lock);
    for (HeldLock lock : local) {
      lock.lock = resolve(lock.lock, frame);
      lock.instance = resolveInstance(lock.instance, frame);
      if (std::none_of(locks.begin(), locks.end(),
                       [&](const HeldLock& held) { return held.lock == lock.lock; }))
        locks.push_back(std::move(lock));
    }
    std::sort(locks.begin(), locks.end(),
              [](const HeldLock& a, const HeldLock& b) { return a.lock < b.lock; });
    return locks;
  }

  static std::string frameKey(const Frame& frame) {
    std::string key =
        functionKey(*frame.function) + "|" + (frame.root ? "root" : "") + (frame.ownsThis ? "|owned" : "");
    for (const std::string& lock : frame.binding) key += "|" + lock;
    key += "|objects";
    for (const std::string& object : frame.objects) key += "|" + object;
    key += "|held";
    for (const HeldLock& lock : frame.entry)
      key += "|" + lock.lock + (lock.mode == LockMode::Shared ? "(s)" : "");
    return key;
  }

  void explore(size_t contextIndex) {
    const ThreadContext& context = model_.contexts[contextIndex];
    bool regionOnly = context.kind == ThreadContext::Kind::Spawner;
    // A fork context: its root's code on its side of the fork only.
    ForkSide side = sideOf(context);
    std::set<std::string> visited;
    std::vector<Frame> work;
    work.push_back({&program_.functions.at(context.function),
                    context.binding,
                    {},
                    {},
                    {},
                    true,
                    false,
                    context.syncBefore,
                    {},
                    context.objects});
    while (!work.empty() && visited.size() < kMaxFramesPerContext) {
      Frame frame = std::move(work.back());
      work.pop_back();
      if (!visited.insert(frameKey(frame)).second) continue;
      bool onlyConcurrent = regionOnly && frame.root;
      bool onSide = side == ForkSide::None || !frame.root;
      for (const Access& access : frame.function->accesses)
        if (side != ForkSide::None) {
          // Other data than pointees is each process's own.
          if (access.pointee && (onSide || access.fork == side))
            addPointeeAccess(contextIndex, access, frame);
        } else if (access.pointee) {
          addPointeeAccess(contextIndex, access, frame);
        } else if ((!onlyConcurrent || access.whileThreadsRun) && !(access.viaThis && frame.ownsThis)) {
          addAccess(contextIndex, access, frame);
        }
      // Lock orders are the threads' business: the contexts of threads see
      // the same acquisitions.
      for (const Acquisition& acquisition : frame.function->acquisitions)
        if (!acquisition.tryLock && (!onlyConcurrent || acquisition.whileThreadsRun) &&
            side == ForkSide::None)
          addEdges(contextIndex, acquisition, frame);
      for (const CallSite& call : frame.function->calls)
        if ((!onlyConcurrent || call.whileThreadsRun) && (onSide || call.fork == side))
          if (const FunctionSummary* callee = lookup(call.callee, *frame.function))
            work.push_back(enter(frame, call, *callee, side != ForkSide::None));
    }
  }

  // `process`: in a fork context, where shared mappings passed are followed.
  Frame enter(const Frame& caller, const CallSite& call, const FunctionSummary& callee, bool process) {
    bool ownsThis = call.object == CallObject::Owned || (call.object == CallObject::This && caller.ownsThis);
    Frame frame{&callee,
                {},
                effective(call.held, call.released, caller),
                caller.entryDepth,
                caller.chain,
                false,
                ownsThis,
                unite(caller.syncBefore, call.syncBefore),
                unite(caller.syncAfter, call.syncAfter)};
    for (const std::string& arg : call.lockArgs)
      frame.binding.push_back(arg.empty() ? "" : resolve(arg, caller));
    for (const std::string& object : call.objects) {
      if (!isParameterLock(object)) {
        frame.objects.push_back(process ? object : "");
        continue;
      }
      unsigned index = parameterIndex(object);
      frame.objects.push_back(index < caller.objects.size() ? caller.objects[index] : "");
    }
    for (const HeldLock& lock : frame.entry) frame.entryDepth.try_emplace(lock.lock, caller.chain.size());
    frame.chain.push_back({call.loc, call.calleeName});
    return frame;
  }

  // A field through a pointer parameter counts when the frame knows what the
  // parameter points to: what a thread's starts pass, or a shared mapping in
  // a fork context. A field of an object the function handed to its threads
  // counts while they run (see Access); in a fork context, one of a shared
  // mapping of its root.
  void addPointeeAccess(size_t contextIndex, const Access& access, const Frame& frame) {
    const ThreadContext& context = model_.contexts[contextIndex];
    std::string object;
    if (isParameterPointee(access.var)) {
      unsigned index = pointeeParameter(access.var);
      if (index >= frame.objects.size() || frame.objects[index].empty()) return;
      object = frame.objects[index];
    } else if (context.process()) {
      object = access.var.substr(0, access.var.find("->"));
    } else {
      if (access.whileThreadsRun) addAccess(contextIndex, access, frame, access.var, true, true);
      return;
    }
    if (context.process()) {
      // Only memory the processes share; the rest each has its own copy of.
      if (llvm::is_contained(program_.functions.at(context.function).sharedMappings, object))
        addAccess(contextIndex, access, frame, makePointeeId(object, pointeeField(access.var)), false, false);
      return;
    }
    bool local = isLocalObject(object);
    // A global object is `&g@file`, displayed `g.field`.
    addAccess(contextIndex, access, frame,
              makePointeeId(local ? object : "&" + object, pointeeField(access.var)), local, false);
  }

  void addAccess(size_t context, const Access& access, const Frame& frame) {
    addAccess(context, access, frame, canonical(access.var), false, false);
  }

  void addAccess(size_t context, const Access& access, const Frame& frame, const std::string& var,
                 bool perCall, bool owner) {
    ContextAccess seen{var,
                       access.write,
                       access.partitioned,
                       access.loc,
                       effective(access.held, access.released, frame),
                       context,
                       unite(frame.syncBefore, access.syncBefore),
                       unite(frame.syncAfter, access.syncAfter),
                       access.guardedBy.empty() ? "" : canonical(access.guardedBy),
                       perCall,
                       owner};
    auto key = std::make_tuple(context, seen.var, access.loc, access.write, access.partitioned);
    auto [slot, inserted] = accesses_.try_emplace(key, seen);
    if (inserted) return;
    // What holds on every path to the access.
    ContextAccess& known = slot->second;
    known.locks = intersect(known.locks, seen.locks);
    known.syncBefore = intersect(known.syncBefore, seen.syncBefore);
    known.syncAfter = intersect(known.syncAfter, seen.syncAfter);
  }

  // A function taking the locks of two parameters' objects in both orders
  // picks the order at run time (by address, by id): the usual fix.
  static bool ordersBothWays(const FunctionSummary& function, const Acquisition& acquisition,
                             const LockInstance& outer) {
    return std::any_of(
        function.acquisitions.begin(), function.acquisitions.end(), [&](const Acquisition& other) {
          return other.lock == acquisition.lock && other.instance == outer &&
                 std::any_of(other.held.begin(), other.held.end(), [&](const HeldLock& held) {
                   return held.lock == acquisition.lock && held.instance == acquisition.instance;
                 });
        });
  }

  // The graph's nodes for taking a lock while holding one of the same id:
  // two objects' locks (`alice.mu` → `bob.mu`), or an array element while
  // holding the one before it around a circle (a loop on the array's node).
  // Nothing for re-locking one lock, or when the objects are not known.
  std::optional<std::pair<std::string, std::string>> sameIdNodes(const HeldLock& outer,
                                                                 const Acquisition& acquisition,
                                                                 const Frame& frame) const {
    LockInstance inner = resolveInstance(acquisition.instance, frame);
    if (outer.instance.empty() || inner.empty()) return std::nullopt;
    if (outer.instance.back() == ']') {
      if (inner != outer.instance + "%") return std::nullopt;
      return std::make_pair(outer.lock, outer.lock);
    }
    if (inner == outer.instance || inner.back() == '%') return std::nullopt;
    auto raw = std::find_if(acquisition.held.begin(), acquisition.held.end(),
                            [&](const HeldLock& held) { return held.lock == acquisition.lock; });
    if (raw != acquisition.held.end() && ordersBothWays(*frame.function, acquisition, raw->instance))
      return std::nullopt;
    return std::make_pair(objectNode(outer.lock, outer.instance), objectNode(outer.lock, inner));
  }

  // `alice.mu@file` for the lock `Account::mu@file` of the object `alice@file`.
  static std::string objectNode(const std::string& lock, const LockInstance& object) {
    size_t at = lock.find('@');
    std::string field = lock.substr(0, at);
    if (size_t scope = field.rfind("::"); scope != std::string::npos) field = field.substr(scope + 2);
    return displayName(object) + "." + field + (at == std::string::npos ? "" : lock.substr(at));
  }

  void addEdges(size_t context, const Acquisition& acquisition, const Frame& frame) {
    std::string inner = resolve(acquisition.lock, frame);
    Lockset held = effective(acquisition.held, acquisition.released, frame);
    // The held locks as graph nodes (for the gate locks of a cycle): two
    // objects' locks are not one gate.
    std::vector<std::string> heldIds;
    for (const HeldLock& lock : held)
      heldIds.push_back(lock.instance.empty() || lock.instance.back() == ']'
                            ? lock.lock
                            : objectNode(lock.lock, lock.instance));
    std::sort(heldIds.begin(), heldIds.end());
    for (const HeldLock& outer : held) {
      std::string from = outer.lock, to = inner;
      if (outer.lock == inner) {
        auto nodes = sameIdNodes(outer, acquisition, frame);
        if (!nodes) continue;  // re-locking one lock is not an ordering between two
        std::tie(from, to) = *nodes;
      }
      std::string key = from;
      key.append(">").append(to).append(">").append(std::to_string(context));
      for (const std::string& id : heldIds) key += "|" + id;
      if (!edgeKeys_.insert(key).second) continue;
      LockEdge edge{from, to, outer.acquired, acquisition.loc, {}, heldIds, context};
      if (auto depth = frame.entryDepth.find(outer.lock);
          depth != frame.entryDepth.end() &&
          std::any_of(frame.entry.begin(), frame.entry.end(),
                      [&](const HeldLock& lock) { return lock.lock == outer.lock; }))
        edge.chain.assign(frame.chain.begin() + static_cast<long>(depth->second), frame.chain.end());
      model_.edges.push_back(std::move(edge));
    }
  }

  const ProgramSummary& program_;
  ProgramModel model_;
  std::map<std::string, std::vector<const FunctionSummary*>> definitions_;
  std::map<std::string, std::set<std::string>> definedNames_;
  std::map<const FunctionSummary*, std::vector<Caller>> callers_;
  std::map<const FunctionSummary*, std::vector<Starter>> starters_;
  std::map<const FunctionSummary*, bool> runsMany_;
  std::map<const FunctionSummary*, bool> callbackParallel_;
  std::set<const FunctionSummary*> inProgress_;
  std::map<std::tuple<size_t, std::string, Location, bool, bool>, ContextAccess> accesses_;
  std::set<std::string> edgeKeys_;
};

}  // namespace

ProgramModel buildProgramModel(ProgramSummary program) {
  ProgramModel model = ModelBuilder(program).build();
  // Moving a std::map keeps its nodes: the model's pointers into the
  // summaries stay valid.
  model.program = std::move(program);
  model.paths = PathFacts(model.program);
  return model;
}

}  // namespace conc::lint
