// The lockset dataflow over one function's CFG.
#include "analyses/function_summarizer.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/Analysis/CFG.h>
#include <llvm/ADT/StringSet.h>
#include <llvm/ADT/StringSwitch.h>

#include "analyses/ast_names.h"
#include "analyses/cfg_paths.h"
#include "analyses/flow_state.h"
#include "analyses/lock_api.h"
#include "analyses/path_events.h"
#include "analyses/process_api.h"
#include "analyses/shared_data.h"
#include "analyses/sync_api.h"
#include "analyses/thread_api.h"
#include "analyses/var_facts.h"

namespace conc::lint {
namespace {

using namespace clang;

// What a method call's object is, seen from the caller.
CallObject callObject(const Expr* object) {
  if (!object) return CallObject::None;
  object = object->IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(object)) return CallObject::This;
  if (isa<MaterializeTemporaryExpr, CXXTemporaryObjectExpr, CXXConstructExpr>(object))
    return CallObject::Owned;
  const auto* ref = dyn_cast<DeclRefExpr>(object);
  const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  // A lambda's capture of an enclosing function's local is that function's
  // object, shared with whoever runs the lambda (a thread).
  if (var && var->hasLocalStorage() && !ref->refersToEnclosingVariableOrCapture() &&
      !var->getType()->isReferenceType() && !var->getType()->isPointerType())
    return CallObject::Owned;
  return CallObject::None;
}

const Expr* stripConstruction(const Expr* e) {
  while (true) {
    e = e->IgnoreImplicit();
    if (const auto* cast = dyn_cast<CXXFunctionalCastExpr>(e))
      e = cast->getSubExpr();
    else if (const auto* cleanups = dyn_cast<ExprWithCleanups>(e))
      e = cleanups->getSubExpr();
    else
      return e;
  }
}

class FunctionAnalysis {
 public:
  FunctionAnalysis(const FunctionDecl* function, const CFG& cfg)
      : function_(function),
        sm_(function->getASTContext().getSourceManager()),
        cfg_(cfg),
        in_(cfg_.getNumBlockIDs()) {}

  FunctionSummary run() {
    findLoops();
    findTagsAhead();
    findStartedObjects();
    summary_.id = functionId(function_);
    summary_.name = functionName(function_);
    summary_.loc = makeLocation(sm_, function_->getLocation());
    summary_.isMain = function_->isMain();
    if (!recordInEntryState()) {
      solve();
      recording_ = true;
      for (const CFGBlock* block : cfg_)
        if (in_[block->getBlockID()].reachable) transferBlock(*block, in_[block->getBlockID()]);
    }
    inSourceOrder();
    return std::move(summary_);
  }

 private:
  struct Position {
    const CFGBlock* block;
    unsigned element;
  };

  // Blocks are visited in CFG order; summaries list events as written.
  void inSourceOrder() {
    auto byLocation = [](const auto& a, const auto& b) { return a.loc < b.loc; };
    std::stable_sort(summary_.accesses.begin(), summary_.accesses.end(), byLocation);
    std::stable_sort(summary_.acquisitions.begin(), summary_.acquisitions.end(), byLocation);
    std::stable_sort(summary_.calls.begin(), summary_.calls.end(), byLocation);
    std::stable_sort(summary_.threadStarts.begin(), summary_.threadStarts.end(), byLocation);
    std::stable_sort(summary_.forks.begin(), summary_.forks.end(), byLocation);
    std::sort(summary_.joins.begin(), summary_.joins.end());
  }

  // --- CFG facts -----------------------------------------------------------

  void findLoops() { inLoop_ = blocksInCycles(cfg_); }

  // What happens at an element that later code cares about: "join", "wait"
  // (for a forked child), and
  // "release:OBJECT" for the release side of a synchronization.
  std::vector<std::string> aheadTags(const CFGElement& element) const {
    std::vector<std::string> tags;
    if (auto stmt = element.getAs<CFGStmt>()) {
      if (isJoin(stmt->getStmt())) tags.push_back("join");
      if (isChildWait(stmt->getStmt())) tags.push_back("wait");
      for (const SyncEvent& event : syncEvents(stmt->getStmt(), function_))
        if (event.release) tags.push_back("release:" + event.object);
    } else if (auto dtor = element.getAs<CFGAutomaticObjDtor>()) {
      if (joinsOnDestruction(dtor->getVarDecl()->getType())) tags.push_back("join");
    }
    return tags;
  }

  // For each block, the tags some path from its start reaches.
  void findTagsAhead() {
    tagsAhead_.assign(cfg_.getNumBlockIDs(), {});
    elementTags_.assign(cfg_.getNumBlockIDs(), {});
    for (const CFGBlock* block : cfg_) {
      auto& elements = elementTags_[block->getBlockID()];
      for (const CFGElement& element : *block) {
        elements.push_back(aheadTags(element));
        tagsAhead_[block->getBlockID()].insert(elements.back().begin(), elements.back().end());
      }
    }
    hasJoins_ = std::any_of(tagsAhead_.begin(), tagsAhead_.end(),
                            [](const auto& tags) { return tags.count("join") > 0; });
    hasWaits_ = std::any_of(tagsAhead_.begin(), tagsAhead_.end(),
                            [](const auto& tags) { return tags.count("wait") > 0; });
    for (bool changed = true; changed;) {
      changed = false;
      for (const CFGBlock* block : cfg_)
        for (const CFGBlock* succ : block->succs())
          if (succ)
            for (const std::string& tag : tagsAhead_[succ->getBlockID()])
              changed = tagsAhead_[block->getBlockID()].insert(tag).second || changed;
    }
  }

  std::set<std::string> tagsAfter(Position pos) const {
    std::set<std::string> tags;
    const auto& elements = elementTags_[pos.block->getBlockID()];
    for (unsigned i = pos.element + 1; i < elements.size(); ++i)
      tags.insert(elements[i].begin(), elements[i].end());
    for (const CFGBlock* succ : pos.block->succs())
      if (succ) tags.insert(tagsAhead_[succ->getBlockID()].begin(), tagsAhead_[succ->getBlockID()].end());
    return tags;
  }

  // Threads started here still run at `pos` if a join is still ahead (a
  // function that never joins leaves them running to the end).
  bool joinAhead(Position pos) const { return !hasJoins_ || tagsAfter(pos).count("join"); }
  // Likewise a forked child, until a wait for it.
  bool waitAhead(Position pos) const { return !hasWaits_ || tagsAfter(pos).count("wait"); }

  SyncSet releasedAfter(Position pos) const {
    SyncSet objects;
    for (llvm::StringRef tag : tagsAfter(pos))
      if (tag.consume_front("release:")) objects.push_back(tag.str());
    return objects;
  }

  // --- fixpoint ------------------------------------------------------------

  // Most functions never change the flow state (no lock, guard, thread,
  // synchronization or fork operation), so every reachable block starts in
  // the entry state. Records under that assumption, checking it on every
  // edge; false, with nothing recorded, as soon as an edge carries another
  // state: the caller then solves the fixpoint. Saves the fixpoint's pass
  // over the blocks, a good part of the analysis of lock-free code.
  bool recordInEntryState() {
    FlowState entry;
    entry.reachable = true;
    assumeRequiredLocks(entry);
    const std::vector<bool> reachable = reachableBlocks(cfg_);
    const FunctionSummary before = summary_;
    recording_ = true;
    for (const CFGBlock* block : cfg_) {
      if (!reachable[block->getBlockID()]) continue;
      auto [out, tries] = transferBlock(*block, entry);
      unsigned branch = 0;
      for (const CFGBlock* succ : block->succs()) {
        if (succ && !(edgeState(*block, branch, out, tries) == entry)) {
          summary_ = before;
          recording_ = false;
          return false;
        }
        ++branch;
      }
    }
    return true;
  }

  void solve() {
    const CFGBlock& entry = cfg_.getEntry();
    in_[entry.getBlockID()].reachable = true;
    assumeRequiredLocks(in_[entry.getBlockID()]);
    std::deque<const CFGBlock*> work{&entry};
    std::vector<bool> queued(cfg_.getNumBlockIDs(), false);
    queued[entry.getBlockID()] = true;
    // The lattice is finite; the bound only guards against surprises.
    for (size_t steps = 0; !work.empty() && steps < 64 * size_t{cfg_.getNumBlockIDs()}; ++steps) {
      const CFGBlock* block = work.front();
      work.pop_front();
      queued[block->getBlockID()] = false;
      auto [out, tries] = transferBlock(*block, in_[block->getBlockID()]);
      unsigned index = 0;
      for (const CFGBlock* succ : block->succs()) {
        unsigned branch = index++;
        if (!succ) continue;
        FlowState& target = in_[succ->getBlockID()];
        FlowState before = target;
        target.joinWith(edgeState(*block, branch, out, tries));
        if (!(target == before) && !queued[succ->getBlockID()]) {
          queued[succ->getBlockID()] = true;
          work.push_back(succ);
        }
      }
    }
  }

  // REQUIRES(mu) (EXCLUSIVE_LOCKS_REQUIRED): the body runs with `mu` held.
  void assumeRequiredLocks(FlowState& state) const {
    Location loc = makeLocation(sm_, function_->getLocation());
    for (const RequiredLock& required : requiredLocks(function_)) {
      std::string id = lockIdentity(required.lock, function_);
      state.held.try_emplace(id, HeldLock{id, required.mode, loc});
    }
  }

  // The state along one outgoing edge: a tested try-lock holds its lock on
  // the edge where it succeeded; the edge where fork() returned 0 enters the
  // child.
  FlowState edgeState(const CFGBlock& block, unsigned branch, FlowState out,
                      const PendingTries& tries) const {
    std::optional<BranchFact> fact = branchFact(block, branch);
    if (!fact) return out;
    out.fork.branch(*fact, sm_);
    auto pending = tries.find(fact->tested);
    if (pending == tries.end()) return out;
    const PendingTry& attempt = pending->second;
    // A try-lock succeeded on this edge when its result is zero
    // (pthread_*_trylock) or non-zero (try_lock()), as the branch says.
    if (fact->nonZero == attempt.succeedsWhenZero) return out;
    for (const std::string& lock : attempt.locks)
      out.held.try_emplace(lock, HeldLock{lock, attempt.mode, attempt.loc});
    if (attempt.guard) {
      Guard& guard = out.guards[attempt.guard];
      guard.owns = true;
      guard.tryPending = false;
    }
    return out;
  }

  // --- transfer functions -------------------------------------------------

  std::pair<FlowState, PendingTries> transferBlock(const CFGBlock& block, FlowState state) {
    PendingTries tries;
    unsigned index = 0;
    for (const CFGElement& element : block) {
      Position pos{&block, index++};
      if (auto stmt = element.getAs<CFGStmt>())
        transferStmt(stmt->getStmt(), state, tries, pos);
      else if (auto dtor = element.getAs<CFGAutomaticObjDtor>())
        transferDestructor(dtor->getVarDecl(), dtor->getTriggerStmt(), state, pos);
    }
    return {std::move(state), std::move(tries)};
  }

  void transferStmt(const Stmt* s, FlowState& state, PendingTries& tries, Position pos) {
    if (const auto* call = dyn_cast<CallExpr>(s)) return transferCall(call, state, tries, pos);
    if (const auto* construct = dyn_cast<CXXConstructExpr>(s))
      return transferConstruct(construct, state, pos);
    if (const auto* decl = dyn_cast<DeclStmt>(s)) {
      for (const Decl* d : decl->decls())
        if (const auto* var = dyn_cast<VarDecl>(d)) {
          if (var->hasLocalStorage() && var->getInit()) state.fork.assign(var, var->getInit(), sm_);
          initGuard(var, state, tries, pos);
        }
      return;
    }
    if (const auto* unary = dyn_cast<UnaryOperator>(s)) {
      if (unary->isIncrementDecrementOp()) recordAccess(unary->getSubExpr(), true, state, pos);
      return;
    }
    if (const auto* binary = dyn_cast<BinaryOperator>(s)) {
      if (!binary->isAssignmentOp()) return;
      const auto* ref = dyn_cast<DeclRefExpr>(binary->getLHS()->IgnoreParens());
      if (const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr; var && var->hasLocalStorage())
        state.fork.assign(var, binary->getRHS(), sm_);
      recordAccess(binary->getLHS(), true, state, pos);
      return;
    }
    if (const auto* cast = dyn_cast<ImplicitCastExpr>(s); cast && cast->getCastKind() == CK_LValueToRValue)
      recordAccess(cast->getSubExpr(), false, state, pos);
  }

  void transferCall(const CallExpr* call, FlowState& state, PendingTries& tries, Position pos) {
    for (const SyncEvent& event : syncEvents(call, function_))
      if (event.acquire) state.acquired.insert(event.object);
    state.fork.call(call);
    if (recording_ && isForkCall(call))
      summary_.forks.push_back({makeLocation(sm_, call->getBeginLoc()), inLoop_[pos.block->getBlockID()]});
    if (auto op = classifyLockCall(call)) return applyLockOp(call, *op, state, tries, pos);
    if (const auto* member = dyn_cast<CXXMemberCallExpr>(call))
      if (auto guardOp = classifyGuardCall(member)) return applyGuardOp(call, *guardOp, state, tries, pos);
    if (const FunctionDecl* entry = startedThreadEntry(call))
      return recordThreadStart(call, entry, state, pos);
    if (isJoin(call)) return recordJoin(call, state);
    recordCallbacks(call, state, pos);
    recordCallAccesses(call, state, pos);
    recordCall(call, call->getDirectCallee(), state, pos);
  }

  void transferConstruct(const CXXConstructExpr* construct, FlowState& state, Position pos) {
    if (const FunctionDecl* entry = startedThreadEntry(construct))
      return recordThreadStart(construct, entry, state, pos);
    if (!isGuardType(construct->getType())) recordCall(construct, construct->getConstructor(), state, pos);
  }

  void transferDestructor(const VarDecl* var, const Stmt* trigger, FlowState& state, Position pos) {
    if (joinsOnDestruction(var->getType())) return recordJoin(trigger, state);
    auto guard = state.guards.find(var);
    if (guard != state.guards.end()) {
      if (guard->second.owns)
        for (const std::string& lock : guard->second.locks) state.held.erase(lock);
      state.guards.erase(guard);
      return;
    }
    if (const CXXRecordDecl* record = var->getType()->getAsCXXRecordDecl();
        record && record->hasDefinition() && record->getDestructor() &&
        !isSynchronizationType(var->getType()))
      recordCall(trigger, record->getDestructor(), state, pos, var->getEndLoc());
  }

  // --- locks -----------------------------------------------------------------

  std::vector<std::string> lockIds(const std::vector<const Expr*>& locks) const {
    std::vector<std::string> ids;
    ids.reserve(locks.size());
    for (const Expr* lock : locks) ids.push_back(lockIdentity(lock, function_));
    return ids;
  }

  static std::vector<LockInstance> lockInstances(const std::vector<const Expr*>& locks) {
    std::vector<LockInstance> instances;
    instances.reserve(locks.size());
    for (const Expr* lock : locks) instances.push_back(lockInstance(lock));
    return instances;
  }

  // Several locks taken together (std::lock, scoped_lock) use a
  // deadlock-avoiding protocol, so none is "held" while taking the others.
  // `instances` (one per lock, or none) say which objects they are.
  void acquire(const std::vector<std::string>& locks, LockMode mode, SourceLocation where, FlowState& state,
               Position pos, const std::vector<LockInstance>& instances = {}) {
    Location loc = makeLocation(sm_, where);
    auto instance = [&](size_t i) { return i < instances.size() ? instances[i] : LockInstance(); };
    if (recording_)
      for (size_t i = 0; i < locks.size(); ++i)
        summary_.acquisitions.push_back({locks[i], mode, false, loc, state.lockset(), state.releasedSet(),
                                         whileThreadsRun(state, pos), instance(i)});
    for (size_t i = 0; i < locks.size(); ++i)
      state.held.try_emplace(locks[i], HeldLock{locks[i], mode, loc, instance(i)});
  }

  void attempt(const Expr* key, std::vector<std::string> locks, LockMode mode, bool succeedsWhenZero,
               const VarDecl* guard, FlowState& state, PendingTries& tries, Position pos) {
    Location loc = makeLocation(sm_, key->getBeginLoc());
    if (recording_)
      for (const std::string& lock : locks)
        summary_.acquisitions.push_back(
            {lock, mode, true, loc, state.lockset(), state.releasedSet(), whileThreadsRun(state, pos)});
    tries[key] = {std::move(locks), mode, loc, succeedsWhenZero, guard};
  }

  void applyLockOp(const CallExpr* call, const LockOp& op, FlowState& state, PendingTries& tries,
                   Position pos) {
    std::vector<std::string> locks = lockIds(op.locks);
    switch (op.kind) {
      case LockOpKind::Acquire:
        return acquire(locks, op.mode, call->getBeginLoc(), state, pos, lockInstances(op.locks));
      case LockOpKind::TryAcquire:
        return attempt(call, locks, op.mode, op.succeedsWhenZero, nullptr, state, tries, pos);
      case LockOpKind::Release:
        for (const std::string& lock : locks) state.release(lock);
        return;
    }
  }

  void applyGuardOp(const CallExpr* call, const GuardOp& op, FlowState& state, PendingTries& tries,
                    Position pos) {
    auto found = state.guards.find(op.guard);
    if (found == state.guards.end()) return;
    Guard& guard = found->second;
    switch (op.kind) {
      case GuardOpKind::Lock:
        acquire(guard.locks, guard.mode, call->getBeginLoc(), state, pos);
        guard.owns = true;
        return;
      case GuardOpKind::TryLock:
        return attempt(call, guard.locks, guard.mode, false, op.guard, state, tries, pos);
      case GuardOpKind::Unlock:
        for (const std::string& lock : guard.locks) state.held.erase(lock);
        guard.owns = false;
        return;
      case GuardOpKind::Release:  // the caller now owns the still-held locks
        state.guards.erase(found);
        return;
      case GuardOpKind::OwnsLock:
        if (guard.tryPending) tries[call] = {guard.locks, guard.mode, {}, false, op.guard};
        return;
    }
  }

  void initGuard(const VarDecl* var, FlowState& state, PendingTries& tries, Position pos) {
    if (!var->getInit() || !isGuardType(var->getType())) return;
    const auto* construct = dyn_cast<CXXConstructExpr>(stripConstruction(var->getInit()));
    if (!construct) return;
    auto init = classifyGuardConstruction(construct);
    if (!init) return;
    Guard guard{lockIds(init->locks), init->mode};
    switch (init->start) {
      case GuardStart::Lock:
        acquire(guard.locks, guard.mode, var->getLocation(), state, pos, lockInstances(init->locks));
        guard.owns = true;
        break;
      case GuardStart::Adopt:  // the locks are already held; make sure we know
        for (const std::string& lock : guard.locks)
          state.held.try_emplace(lock, HeldLock{lock, guard.mode, makeLocation(sm_, var->getLocation())});
        guard.owns = true;
        break;
      case GuardStart::Try:
        attempt(construct, guard.locks, guard.mode, false, var, state, tries, pos);
        tries.erase(construct);  // tested later through owns_lock() or bool
        guard.tryPending = true;
        break;
      case GuardStart::Defer:
        break;
    }
    state.guards[var] = std::move(guard);
  }

  // --- threads ---------------------------------------------------------------

  void recordThreadStart(const Stmt* s, const FunctionDecl* entry, FlowState& state, Position pos) {
    state.threadsMayRun = true;
    if (!recording_) return;
    // The entry's parameters are copies of what is passed (void* for
    // pthread_create), so the arguments' own types tell the locks.
    std::vector<const Expr*> args = startedThreadArguments(s, entry);
    std::vector<QualType> types;
    types.reserve(args.size());
    for (const Expr* arg : args) types.push_back(arg->IgnoreParenCasts()->getType());
    summary_.threadStarts.push_back(
        {functionId(entry), functionName(entry), makeLocation(sm_, s->getBeginLoc()), acquiredSet(state),
         inLoop_[pos.block->getBlockID()], lockIdsOf(args, types), objectsOf(args)});
  }

  // --- objects handed to threads ----------------------------------------------

  // The object `arg` points to, when every thread the start creates gets the
  // same one (see ThreadStart::objects).
  std::string objectOf(const Expr* arg) const {
    const Expr* e = arg->IgnoreParenCasts();
    if (const auto* address = dyn_cast<UnaryOperator>(e); address && address->getOpcode() == UO_AddrOf) {
      const auto* ref = dyn_cast<DeclRefExpr>(address->getSubExpr()->IgnoreParens());
      const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
      if (!var || !var->getType()->isRecordType() || ref->refersToEnclosingVariableOrCapture()) return "";
      if (var->hasGlobalStorage()) {
        auto location = sharedLocation(ref, function_->getASTContext());
        return location && !location->partitioned ? location->id : "";
      }
      auto fact = facts_.find(var);
      if (!var->isLocalVarDecl() || fact == facts_.end() || fact->second.declaredInLoop) return "";
      return "&" + localId(var);
    }
    const auto* ref = dyn_cast<DeclRefExpr>(e);
    const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    if (!var || !var->isLocalVarDecl() || !var->getType()->isPointerType() ||
        ref->refersToEnclosingVariableOrCapture())
      return "";
    auto fact = facts_.find(var);
    if (fact == facts_.end() || !fact->second.keepsInitialValue() || fact->second.definedInLoop) return "";
    return "*" + localId(var);
  }

  std::vector<std::string> objectsOf(const std::vector<const Expr*>& args) const {
    std::vector<std::string> objects;
    objects.reserve(args.size());
    for (const Expr* arg : args) objects.push_back(objectOf(arg));
    while (!objects.empty() && objects.back().empty()) objects.pop_back();
    return objects;
  }

  // `f::name@file:line`: a local, told apart from another of the same name.
  std::string localId(const VarDecl* var) const {
    Location loc = makeLocation(sm_, var->getLocation());
    return functionName(function_) + "::" + var->getNameAsString() + "@" + loc.file + ":" +
           std::to_string(loc.line);
  }

  // The locals whose objects this function hands to the threads it starts,
  // so that its own accesses to them while the threads run are recorded; and
  // its shared mappings, which fork() does not copy (see
  // FunctionSummary::sharedMappings).
  void findStartedObjects() {
    facts_ = variableFacts(function_->getBody());
    for (const auto& [var, fact] : facts_)
      if (var->isLocalVarDecl() && var->getType()->isPointerType() && var->getInit() &&
          returnsSharedMemory(var->getInit()) && fact.keepsInitialValue() && !fact.definedInLoop) {
        sharedMappings_[var] = "*" + localId(var);
        summary_.sharedMappings.push_back(sharedMappings_[var]);
      }
    std::sort(summary_.sharedMappings.begin(), summary_.sharedMappings.end());
    for (const CFGBlock* block : cfg_)
      for (const CFGElement& element : *block) {
        auto stmt = element.getAs<CFGStmt>();
        if (!stmt || !isa<CallExpr, CXXConstructExpr>(stmt->getStmt())) continue;
        const FunctionDecl* entry = startedThreadEntry(stmt->getStmt());
        if (!entry) continue;
        for (const Expr* arg : startedThreadArguments(stmt->getStmt(), entry)) {
          std::string object = objectOf(arg);
          if (!isLocalObject(object)) continue;
          const Expr* e = arg->IgnoreParenCasts();
          if (const auto* address = dyn_cast<UnaryOperator>(e)) e = address->getSubExpr()->IgnoreParens();
          startedObjects_[cast<VarDecl>(cast<DeclRefExpr>(e)->getDecl())] = object;
        }
      }
  }

  // A pointer parameter of this function, directly or through a local
  // initialized from it (`struct tally *tally = arg;`), neither reassigned.
  std::optional<unsigned> pointerParameter(const Expr* pointer) const {
    const auto* ref = dyn_cast<DeclRefExpr>(pointer->IgnoreParenCasts());
    const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    if (!var || ref->refersToEnclosingVariableOrCapture() || !unchanged(var)) return std::nullopt;
    const auto* param = dyn_cast<ParmVarDecl>(var);
    if (!param) {
      param = parameterAlias(var);
      if (!param || !unchanged(param)) return std::nullopt;
    }
    if (!param->getType()->isPointerType()) return std::nullopt;
    return param->getFunctionScopeIndex();
  }

  // A variable this function never changes (VarFacts::keepsInitialValue).
  bool unchanged(const VarDecl* var) const {
    auto fact = facts_.find(var);
    return (fact == facts_.end() ? VarFacts{} : fact->second).keepsInitialValue(isa<ParmVarDecl>(var));
  }

  // A field reached through a pointer parameter (`$N->field`), through an
  // object this function hands to threads (`*f::p@...->field`) while they
  // run, or through a shared mapping on a side of a fork().
  std::optional<std::string> pointeeVar(const FieldAccess& access, bool threadsRun, ForkSide fork) const {
    std::string field = access.field ? fieldId(access.field) : "";
    if (access.pointer) {
      if (auto index = pointerParameter(access.pointer))
        return makePointeeId("$" + std::to_string(*index), field);
    }
    const VarDecl* var = access.object;
    if (access.pointer) var = localPointer(access.pointer);
    if (!var) return std::nullopt;
    const std::string* object = nullptr;
    if (auto started = startedObjects_.find(var); threadsRun && started != startedObjects_.end())
      object = &started->second;
    else if (auto mapping = sharedMappings_.find(var);
             fork != ForkSide::None && mapping != sharedMappings_.end())
      object = &mapping->second;
    if (!object || ((*object)[0] == '*') != (access.pointer != nullptr)) return std::nullopt;
    return makePointeeId(*object, field);
  }

  static const VarDecl* localPointer(const Expr* pointer) {
    const auto* ref = dyn_cast<DeclRefExpr>(pointer->IgnoreParenCasts());
    return ref && !ref->refersToEnclosingVariableOrCapture() ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  }

  // What the model follows into a callee: the pointer parameters passed on
  // (`$N`) and the shared mappings (see CallSite::objects).
  std::vector<std::string> calleeObjects(const std::vector<const Expr*>& args) const {
    std::vector<std::string> objects;
    for (const Expr* arg : args) {
      objects.emplace_back();
      if (!arg->getType()->isPointerType()) continue;
      if (auto index = pointerParameter(arg))
        objects.back() = "$" + std::to_string(*index);
      else if (auto mapping = sharedMappings_.find(localPointer(arg)); mapping != sharedMappings_.end())
        objects.back() = mapping->second;
    }
    while (!objects.empty() && objects.back().empty()) objects.pop_back();
    return objects;
  }

  // Callbacks: callables handed to the call, and a call through a pointer.
  void recordCallbacks(const CallExpr* call, const FlowState& state, Position pos) {
    if (!recording_) return;
    if (auto signature = indirectCallSignature(call);
        signature && !llvm::is_contained(summary_.indirectCalls, *signature))
      summary_.indirectCalls.push_back(*signature);
    for (const FunctionDecl* callable : handedCallables(call))
      summary_.handedCallables.push_back(
          {{functionId(callable), functionName(callable), makeLocation(sm_, call->getBeginLoc()),
            acquiredSet(state), inLoop_[pos.block->getBlockID()]},
           callableSignature(callable)});
  }

  void recordJoin(const Stmt* s, FlowState& state) {
    state.threadsMayRun = false;
    if (recording_ && s) summary_.joins.push_back(makeLocation(sm_, s->getBeginLoc()));
  }

  // --- accesses and calls ----------------------------------------------------

  static SyncSet acquiredSet(const FlowState& state) {
    return {state.acquired.begin(), state.acquired.end()};
  }

  bool whileThreadsRun(const FlowState& state, Position pos) const {
    return state.threadsMayRun && joinAhead(pos);
  }

  ForkSide forkSide(const FlowState& state, Position pos) const {
    ForkSide side = state.fork.side();
    return side == ForkSide::Parent && !waitAhead(pos) ? ForkSide::None : side;
  }

  void recordAccess(const Expr* lvalue, bool write, const FlowState& state, Position pos) {
    if (!recording_) return;
    auto location = sharedLocation(lvalue, function_->getASTContext());
    if (!location) return recordPointeeAccess(lvalue, write, state, pos);
    // A constructor or destructor has its object to itself.
    if (location->viaThis && isa<CXXConstructorDecl, CXXDestructorDecl>(function_)) return;
    summary_.accesses.push_back(
        {location->id, write, location->viaThis, location->partitioned,
         makeLocation(sm_, lvalue->getBeginLoc()), state.lockset(), state.releasedSet(), acquiredSet(state),
         releasedAfter(pos), whileThreadsRun(state, pos), location->guardedBy, false, forkSide(state, pos)});
  }

  void recordPointeeAccess(const Expr* lvalue, bool write, const FlowState& state, Position pos) {
    auto access = fieldThroughPointer(lvalue, function_->getASTContext());
    if (!access) return;
    bool threadsRun = whileThreadsRun(state, pos);
    auto var = pointeeVar(*access, threadsRun, forkSide(state, pos));
    if (!var) return;
    summary_.accesses.push_back({*var, write, false, access->partitioned,
                                 makeLocation(sm_, lvalue->getBeginLoc()), state.lockset(),
                                 state.releasedSet(), acquiredSet(state), releasedAfter(pos), threadsRun,
                                 access->guardedBy, true, forkSide(state, pos)});
  }

  // Accesses made inside library code we cannot see: a library method on a
  // shared object (a non-const method writes it), and shared data passed by
  // address or reference to a library function (written unless the
  // parameter points to const).
  void recordCallAccesses(const CallExpr* call, const FlowState& state, Position pos) {
    const FunctionDecl* callee = call->getDirectCallee();
    if (!callee || !inSystemHeader(sm_, callee->getLocation())) return;
    const auto* method = dyn_cast<CXXMethodDecl>(callee);
    std::vector<const Expr*> args(call->arg_begin(), call->arg_end());
    if (const auto* member = dyn_cast<CXXMemberCallExpr>(call)) {
      if (member->getImplicitObjectArgument())
        recordAccess(member->getImplicitObjectArgument(), !method->isConst() && !isLookup(method), state,
                     pos);
    } else if (isa<CXXOperatorCallExpr>(call) && method && !args.empty()) {
      recordAccess(args.front(), !method->isConst(), state, pos);
      args.erase(args.begin());
    }
    for (unsigned i = 0; i < args.size(); ++i) {
      QualType param = i < callee->getNumParams() ? callee->getParamDecl(i)->getType() : QualType();
      const Expr* arg = args[i]->IgnoreParens();
      if (!param.isNull() && param->isReferenceType()) {
        if (arg->isGLValue()) recordAccess(arg, !param->getPointeeType().isConstQualified(), state, pos);
        continue;
      }
      const Expr* pointee = addressedObject(arg);
      if (!pointee) continue;
      bool writes = !param.isNull() && param->isPointerType() && !param->getPointeeType().isConstQualified();
      recordAccess(pointee, writes, state, pos);
    }
  }

  // A container lookup (`find`, `at`, `begin`, ...): the non-const overload
  // is chosen on a non-const object, but the call changes nothing. Writes
  // made later through the returned iterator or reference are not seen (a
  // documented limit).
  static bool isLookup(const CXXMethodDecl* method) {
    static const llvm::StringSet<> lookups = {"find",        "count",       "contains", "lower_bound",
                                              "upper_bound", "equal_range", "at",       "begin",
                                              "end",         "rbegin",      "rend"};
    return method->getIdentifier() && lookups.contains(method->getName());
  }

  // `x` for `&x`, and the array for an array passed as a pointer.
  static const Expr* addressedObject(const Expr* arg) {
    arg = arg->IgnoreParens();
    while (const auto* cast = dyn_cast<ImplicitCastExpr>(arg)) {
      if (cast->getCastKind() == CK_ArrayToPointerDecay) return cast->getSubExpr();
      if (cast->getCastKind() != CK_NoOp && cast->getCastKind() != CK_BitCast) return nullptr;
      arg = cast->getSubExpr()->IgnoreParens();
    }
    if (const auto* unary = dyn_cast<UnaryOperator>(arg); unary && unary->getOpcode() == UO_AddrOf)
      return unary->getSubExpr();
    return nullptr;
  }

  // The arguments `s` passes to `callee`'s parameters, in their order.
  static std::vector<const Expr*> callArguments(const Stmt* s, const FunctionDecl* callee) {
    std::vector<const Expr*> args;
    if (const auto* call = dyn_cast_or_null<CallExpr>(s))
      args.assign(call->arg_begin(), call->arg_end());
    else if (const auto* construct = dyn_cast_or_null<CXXConstructExpr>(s))
      args.assign(construct->arg_begin(), construct->arg_end());
    // An operator called as a member takes the object as its first argument.
    if (isa_and_nonnull<CXXOperatorCallExpr>(s) && isa<CXXMethodDecl>(callee) && !args.empty())
      args.erase(args.begin());
    return args;
  }

  std::vector<std::string> lockArguments(const std::vector<const Expr*>& args,
                                         const FunctionDecl* callee) const {
    std::vector<QualType> types;
    for (unsigned i = 0; i < args.size(); ++i)
      types.push_back(i < callee->getNumParams() ? callee->getParamDecl(i)->getType() : args[i]->getType());
    return lockIdsOf(args, types);
  }

  // The lock id of each argument whose type (`types`, one per argument) is a
  // lock's or an object's holding locks (see CallSite::lockArgs), "" for the
  // others; nothing when none is.
  std::vector<std::string> lockIdsOf(const std::vector<const Expr*>& args,
                                     const std::vector<QualType>& types) const {
    std::vector<std::string> locks;
    bool any = false;
    for (unsigned i = 0; i < args.size(); ++i) {
      locks.push_back(isLockType(types[i]) || holdsLock(types[i]) ? lockIdentity(args[i], function_) : "");
      any = any || !locks.back().empty();
    }
    return any ? locks : std::vector<std::string>{};
  }

  // Constructors and destructors run on an object not (or no longer) shared.
  static CallObject objectOf(const Stmt* s, const FunctionDecl* callee) {
    if (isa<CXXConstructorDecl, CXXDestructorDecl>(callee)) return CallObject::Owned;
    if (const auto* member = dyn_cast_or_null<CXXMemberCallExpr>(s))
      return callObject(member->getImplicitObjectArgument());
    if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(s);
        op && isa<CXXMethodDecl>(callee) && op->getNumArgs() > 0)
      return callObject(op->getArg(0));
    return CallObject::None;
  }

  void recordCall(const Stmt* s, const FunctionDecl* callee, const FlowState& state, Position pos,
                  SourceLocation where = {}) {
    if (!recording_ || !callee || inSystemHeader(sm_, callee->getLocation())) return;
    if (where.isInvalid() && !s) return;
    std::vector<const Expr*> args = callArguments(s, callee);
    summary_.calls.push_back({functionId(callee), functionName(callee),
                              makeLocation(sm_, where.isValid() ? where : s->getBeginLoc()), state.lockset(),
                              state.releasedSet(), lockArguments(args, callee), acquiredSet(state),
                              releasedAfter(pos), inLoop_[pos.block->getBlockID()],
                              whileThreadsRun(state, pos), objectOf(s, callee), forkSide(state, pos),
                              calleeObjects(args)});
  }

  const FunctionDecl* function_;
  const SourceManager& sm_;
  const CFG& cfg_;
  std::vector<FlowState> in_;
  std::vector<bool> inLoop_;
  std::vector<std::set<std::string>> tagsAhead_;
  std::vector<std::vector<std::vector<std::string>>> elementTags_;
  bool hasJoins_ = false;
  bool hasWaits_ = false;
  bool recording_ = false;
  std::map<const VarDecl*, VarFacts> facts_;
  std::map<const VarDecl*, std::string> startedObjects_;  // see findStartedObjects
  std::map<const VarDecl*, std::string> sharedMappings_;  // see findStartedObjects
  FunctionSummary summary_;
};

}  // namespace

std::optional<FunctionSummary> summarizeFunction(const FunctionDecl* function) {
  if (!function->hasBody()) return std::nullopt;
  CFG::BuildOptions options;
  options.AddImplicitDtors = true;
  options.AddInitializers = true;
  options.AddTemporaryDtors = true;
  options.setAllAlwaysAdd();
  std::unique_ptr<CFG> cfg =
      CFG::buildCFG(function, function->getBody(), &function->getASTContext(), options);
  if (!cfg) return std::nullopt;
  // One CFG for both walks: building it is a good part of their cost.
  FunctionSummary summary = FunctionAnalysis(function, *cfg).run();
  summary.pathEvents = collectPathEvents(function, *cfg);
  return summary;
}

}  // namespace conc::lint
