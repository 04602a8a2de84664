// The path-sensitive walk behind the path events.
#include "analyses/path_events.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMap.h>
#include <clang/Analysis/CFG.h>
#include <clang/Lex/Lexer.h>
#include <llvm/ADT/StringSet.h>
#include <llvm/Support/raw_ostream.h>

#include "analyses/ast_names.h"
#include "analyses/cfg_paths.h"
#include "analyses/lock_api.h"
#include "analyses/process_api.h"
#include "analyses/shared_data.h"
#include "analyses/thread_api.h"

namespace conc::lint {
namespace {

using namespace clang;

const CXXRecordDecl* recordOf(QualType type) {
  type = type.getNonReferenceType();
  if (type->isPointerType()) type = type->getPointeeType();
  return type->getAsCXXRecordDecl();
}

std::string recordName(const Expr* e) {
  const CXXRecordDecl* record = e ? recordOf(e->getType()) : nullptr;
  return record ? plainQualifiedName(record) : "";
}

bool isStdThread(QualType type) {
  const CXXRecordDecl* record = type->getAsCXXRecordDecl();
  return record && plainQualifiedName(record) == "std::thread";
}

bool isPthreadHandle(QualType type) {
  while (const auto* array = type->getAsArrayTypeUnsafe()) type = array->getElementType();
  const auto* typedefType = type->getAs<TypedefType>();
  return typedefType && typedefType->getDecl()->getName() == "pthread_t";
}

const VarDecl* localVar(const Expr* e) {
  const auto* ref = e ? dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts()) : nullptr;
  const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  return var && var->hasLocalStorage() ? var : nullptr;
}

// The object a member call or member operator call runs on.
const Expr* objectOf(const CallExpr* call) {
  if (const auto* member = dyn_cast<CXXMemberCallExpr>(call)) return member->getImplicitObjectArgument();
  if (isa<CXXOperatorCallExpr>(call) && isa_and_nonnull<CXXMethodDecl>(call->getDirectCallee()) &&
      call->getNumArgs() > 0)
    return call->getArg(0);
  return nullptr;
}

std::string memberName(const CallExpr* call) {
  const auto* method = dyn_cast_or_null<CXXMethodDecl>(call->getDirectCallee());
  return method && method->getIdentifier() ? method->getName().str() : "";
}

bool isSleep(const std::string& name) {
  static const llvm::StringSet<> names = {"sleep",
                                          "usleep",
                                          "nanosleep",
                                          "clock_nanosleep",
                                          "std::this_thread::sleep_for",
                                          "std::this_thread::sleep_until"};
  return names.contains(name);
}

// Back-off in a retry loop: sleeping or yielding the processor.
bool isBackOff(const std::string& name) {
  return isSleep(name) || name == "sched_yield" || name == "pthread_yield" || name == "thrd_yield" ||
         name == "std::this_thread::yield";
}

// A stream whose reads wait for input (not a string stream).
bool isBlockingStream(const Expr* stream) {
  std::string type = recordName(stream);
  return type == "std::basic_istream" || type == "std::basic_iostream" || type == "std::basic_ifstream" ||
         type == "std::basic_fstream";
}

// Calls that may wait for a long time: sleeps, blocking I/O, joins.
bool isBlockingCall(const CallExpr* call) {
  static const llvm::StringSet<> io = {"read",   "recv",       "recvfrom", "recvmsg",  "accept",
                                       "fread",  "fgets",      "getline",  "getdelim", "getchar",
                                       "fgetc",  "getc",       "scanf",    "fscanf",   "poll",
                                       "select", "epoll_wait", "waitpid",  "sem_wait", "sem_timedwait"};
  std::string name = calleeName(call);
  if (isSleep(name) || io.contains(name) || isJoin(call)) return true;
  static const llvm::StringSet<> streamReads = {"read",       "get",          "getline",        "ignore",
                                                "operator>>", "std::getline", "std::operator>>"};
  if (const Expr* object = objectOf(call))
    return streamReads.contains(memberName(call)) && isBlockingStream(object);
  return streamReads.contains(name) && call->getNumArgs() > 0 && isBlockingStream(call->getArg(0));
}

// Not async-signal-safe: what a forked child of a threaded program must not
// call before exec, as a lock or the allocator may be held by a thread that
// does not exist in the child.
bool isUnsafeInChild(const CallExpr* call) {
  static const llvm::StringSet<> names = {"malloc",
                                          "calloc",
                                          "realloc",
                                          "free",
                                          "strdup",
                                          "printf",
                                          "fprintf",
                                          "puts",
                                          "fputs",
                                          "putchar",
                                          "fwrite",
                                          "fopen",
                                          "fclose",
                                          "fflush",
                                          "perror",
                                          "syslog",
                                          "exit",
                                          "std::operator<<",
                                          "std::basic_ostream::operator<<",
                                          "std::endl"};
  if (names.contains(calleeName(call))) return true;
  auto op = classifyLockCall(call);
  return op && op->kind != LockOpKind::Release;
}

bool isRecursiveLockType(QualType type) {
  const CXXRecordDecl* record = recordOf(type);
  if (!record) return false;
  std::string name = plainQualifiedName(record);
  return name == "std::recursive_mutex" || name == "std::recursive_timed_mutex";
}

// sem_wait/sem_post and std::counting_semaphore acquire/release: a permit
// taken and given back, when one function does both.
struct SemaphoreOp {
  const Expr* semaphore;
  LockOpKind kind;
};
std::optional<SemaphoreOp> semaphoreOp(const CallExpr* call) {
  std::string name = calleeName(call);
  if (const Expr* object = objectOf(call)) {
    std::string type = recordName(object);
    if (!type.starts_with("std::counting_semaphore") && type != "std::binary_semaphore") return std::nullopt;
    std::string method = memberName(call);
    if (method == "acquire") return SemaphoreOp{object, LockOpKind::Acquire};
    if (method == "release") return SemaphoreOp{object, LockOpKind::Release};
    if (method.starts_with("try_acquire")) return SemaphoreOp{object, LockOpKind::TryAcquire};
    return std::nullopt;
  }
  if (call->getNumArgs() == 0) return std::nullopt;
  if (name == "sem_wait") return SemaphoreOp{call->getArg(0), LockOpKind::Acquire};
  if (name == "sem_trywait" || name == "sem_timedwait")
    return SemaphoreOp{call->getArg(0), LockOpKind::TryAcquire};
  if (name == "sem_post") return SemaphoreOp{call->getArg(0), LockOpKind::Release};
  return std::nullopt;
}

// A condition variable wait: the variable, its mutex (or the unique_lock
// holding it), and whether the predicate overload is used.
struct WaitCall {
  const Expr* condition;
  const Expr* mutex;
  const Expr* predicate = nullptr;
  bool timed = false;
};
std::optional<WaitCall> waitCall(const CallExpr* call) {
  std::string name = calleeName(call);
  if (const Expr* object = objectOf(call)) {
    std::string method = memberName(call);
    if (!recordName(object).starts_with("std::condition_variable") ||
        (method != "wait" && method != "wait_for" && method != "wait_until") || call->getNumArgs() == 0)
      return std::nullopt;
    unsigned predicateIndex = method == "wait" ? 1 : 2;
    const Expr* predicate = call->getNumArgs() > predicateIndex ? call->getArg(predicateIndex) : nullptr;
    return WaitCall{object, call->getArg(0), predicate, method != "wait"};
  }
  if ((name == "pthread_cond_wait" || name == "cnd_wait") && call->getNumArgs() == 2)
    return WaitCall{call->getArg(0), call->getArg(1)};
  if ((name == "pthread_cond_timedwait" || name == "cnd_timedwait") && call->getNumArgs() == 3)
    return WaitCall{call->getArg(0), call->getArg(1), nullptr, true};
  return std::nullopt;
}

const Expr* notifiedCondition(const CallExpr* call) {
  std::string name = calleeName(call);
  if (const Expr* object = objectOf(call)) {
    std::string method = memberName(call);
    bool notify = method == "notify_one" || method == "notify_all";
    return notify && recordName(object).starts_with("std::condition_variable") ? object : nullptr;
  }
  bool notify = name == "pthread_cond_signal" || name == "pthread_cond_broadcast" || name == "cnd_signal" ||
                name == "cnd_broadcast";
  return notify && call->getNumArgs() > 0 ? call->getArg(0) : nullptr;
}

// A call that may throw, by its declaration: anything but C functions,
// destructors and noexcept or `__attribute__((nothrow))` ones.
bool mayThrow(const CallExpr* call) {
  const FunctionDecl* callee = call->getDirectCallee();
  if (!callee || callee->isExternC() || callee->getBuiltinID() || isa<CXXDestructorDecl>(callee) ||
      callee->hasAttr<NoThrowAttr>())
    return false;
  const auto* proto = callee->getType()->getAs<FunctionProtoType>();
  return proto && !proto->isNothrow();
}

// Shared variables an expression reads (for a wait's predicate).
void collectSharedNames(const Stmt* s, const ASTContext& context, std::set<std::string>& names) {
  if (!s) return;
  if (const auto* e = dyn_cast<Expr>(s); e && isa<DeclRefExpr, MemberExpr>(e))
    if (auto location = sharedLocation(e, context)) names.insert(location->id);
  if (const auto* lambda = dyn_cast<LambdaExpr>(s))
    return collectSharedNames(lambda->getBody(), context, names);
  for (const Stmt* child : s->children()) collectSharedNames(child, context, names);
}

PathEvent makeEvent(PathEventKind kind, Location loc, std::string subject, std::string detail = {},
                    Location origin = {}, Lockset held = {}, std::vector<std::string> names = {},
                    bool flag = false) {
  return {kind,
          std::move(loc),
          std::move(subject),
          std::move(detail),
          std::move(origin),
          std::move(held),
          std::move(names),
          flag,
          {}};
}

struct LockFact {
  HeldLock lock;
  bool must = true;        // held on every path here
  bool manual = true;      // taken by a call, not by a guard (which releases it)
  bool tentative = false;  // a try-lock whose outcome is not tested in a branch
  bool counting = false;   // a semaphore permit
  // How the lock was written, when its id stands for several objects
  // (`forks[i]`, `from->mu`): only the same spelling is the same lock.
  std::string instance;
  // How many times a recursive mutex is locked by calls (up to a bound that
  // keeps loops finite): each unlock gives back one.
  unsigned depth = 1;
  bool operator==(const LockFact&) const = default;
};

constexpr unsigned kMaxRecursion = 4;

// A local holding a shared variable's value read under `lock`, and how far
// the function got since: 0 still in that critical section, 1 the lock was
// released, 2 it was taken again.
struct StaleRead {
  std::string var, lock;
  Location loc;
  int phase = 0;
  bool operator==(const StaleRead&) const = default;
};

struct PathState {
  bool reachable = false;
  std::map<std::string, LockFact> locks;     // held on some path
  std::map<std::string, Location> released;  // released on every path, not taken since
  std::set<std::string> unposted;            // owed signals not posted yet, on every path
  // Locks released here without being taken first: the caller's, which this
  // function may drop and take back (on some path).
  std::set<std::string> callerLocks;
  std::map<const VarDecl*, std::vector<std::string>> guards;  // guard → its locks
  std::map<const VarDecl*, Location> joinable;                // std::thread locals joinable on some path
  ForkRegion fork;  // its `child`: in fork()'s child on every path (the fork)
  bool threadsStarted = false;
  std::map<const VarDecl*, StaleRead> stale;  // on every path
  bool operator==(const PathState&) const = default;

  void joinWith(const PathState& other) {
    if (!other.reachable) return;
    if (!reachable) {
      *this = other;
      return;
    }
    for (auto& [id, fact] : locks) {
      auto match = other.locks.find(id);
      fact.must = fact.must && match != other.locks.end() && match->second.must;
      if (match != other.locks.end()) {
        fact.tentative = fact.tentative && match->second.tentative;
        fact.depth = std::max(fact.depth, match->second.depth);
      }
    }
    for (const auto& [id, fact] : other.locks)
      if (locks.try_emplace(id, fact).second) locks[id].must = false;
    std::erase_if(released, [&](const auto& entry) { return !other.released.count(entry.first); });
    std::erase_if(unposted, [&](const std::string& id) { return !other.unposted.count(id); });
    callerLocks.insert(other.callerLocks.begin(), other.callerLocks.end());
    guards.insert(other.guards.begin(), other.guards.end());
    joinable.insert(other.joinable.begin(), other.joinable.end());
    fork.joinWith(other.fork);
    threadsStarted = threadsStarted || other.threadsStarted;
    std::erase_if(stale, [&](const auto& entry) {
      auto match = other.stale.find(entry.first);
      return match == other.stale.end() || !(match->second == entry.second);
    });
  }

  Lockset mustHeld() const {
    Lockset set;
    for (const auto& [id, fact] : locks)
      if (fact.must && !fact.tentative && !fact.counting) set.push_back(fact.lock);
    return set;
  }
};

class PathWalk {
 public:
  PathWalk(const FunctionDecl* function, const CFG& cfg)
      : function_(function),
        context_(function->getASTContext()),
        sm_(context_.getSourceManager()),
        cfg_(cfg),
        in_(cfg_.getNumBlockIDs()) {}

  std::vector<PathEvent> run() {
    inCycle_ = blocksInCycles(cfg_);
    scanBlocks();
    scanExceptions(function_->getBody());
    // Without locks, guards, threads or fork() the state stays empty on every
    // path: the walk only needs to know which blocks are reachable.
    if (stateful_)
      solve();
    else
      markReachable();
    recording_ = true;
    for (const CFGBlock* block : cfg_)
      if (in_[block->getBlockID()].reachable) transferBlock(*block, in_[block->getBlockID()]);
    reportExits();
    reportEscapedHandles();
    for (const std::string& lock : recursive_)
      events_.push_back(makeEvent(PathEventKind::RecursiveLock, summaryLocation(), lock));
    return std::move(events_);
  }

 private:
  // --- before the walk ---------------------------------------------------------

  // Per block: the locks it releases and whether it backs off; semaphores
  // this function posts; pthread_t locals used other than as a handle, and
  // those copied into one another; whether the walk has state to track.
  void scanBlocks() {
    releases_.assign(cfg_.getNumBlockIDs(), {});
    backsOff_.assign(cfg_.getNumBlockIDs(), false);
    std::map<const VarDecl*, unsigned> handleUses;
    for (const CFGBlock* block : cfg_)
      for (const CFGElement& element : *block) {
        if (auto dtor = element.getAs<CFGAutomaticObjDtor>())
          for (const std::string& lock : guardLocks(dtor->getVarDecl()))
            releases_[block->getBlockID()].insert(lock);
        auto stmt = element.getAs<CFGStmt>();
        if (!stmt) continue;
        noteStateful(stmt->getStmt());
        if (const auto* ref = dyn_cast<DeclRefExpr>(stmt->getStmt()))
          if (const VarDecl* var = handleLocal(ref)) ++handleUses[var];
        noteHandleCopy(stmt->getStmt(), handleUses);
        const auto* call = dyn_cast<CallExpr>(stmt->getStmt());
        if (!call) continue;
        backsOff_[block->getBlockID()] = backsOff_[block->getBlockID()] || isBackOff(calleeName(call));
        if (auto op = classifyLockCall(call); op && op->kind == LockOpKind::Release)
          for (const Expr* lock : op->locks)
            releases_[block->getBlockID()].insert(lockIdentity(lock, function_));
        if (auto sem = semaphoreOp(call)) noteSemaphoreOp(call, *sem, *block);
        if (const Expr* handle = handleArgument(call))
          if (const VarDecl* var = localVar(stripAddress(handle))) --handleUses[var];
      }
    for (const auto& [var, uses] : handleUses)
      if (uses != 0) escapedHandles_.insert(var);
  }

  // A semaphore this function posts once (outside loops) and never waits
  // for is a signal it owes whoever waits: a path out that skips the post
  // loses it. Posts in a loop hand out one permit per item instead.
  void noteSemaphoreOp(const CallExpr* call, const SemaphoreOp& op, const CFGBlock& block) {
    std::string id = lockIdentity(op.semaphore, function_);
    if (op.kind != LockOpKind::Release) {
      owedSignals_.erase(id);
      waited_.insert(id);
      return;
    }
    bool first = posted_.insert(id).second;
    if (inCycle_[block.getBlockID()] || waited_.count(id))
      owedSignals_.erase(id);
    else if (first)
      owedSignals_[id] = loc(call);
  }

  // The throws and try blocks of this function (lambdas are functions of
  // their own).
  void scanExceptions(const Stmt* s) {
    if (isa<CXXThrowExpr>(s) && !insideTry(s))
      events_.push_back(makeEvent(PathEventKind::Exception, loc(s), "", "throw"));
    if (isa<CXXTryStmt>(s)) events_.push_back(makeEvent(PathEventKind::Exception, loc(s), "", "try"));
    for (const Stmt* child : s->children())
      if (child && !isa<LambdaExpr>(child)) scanExceptions(child);
  }

  // A pthread_t local named by `e` (not an array of them).
  static const VarDecl* handleLocal(const Expr* e) {
    const auto* ref = e ? dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts()) : nullptr;
    const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    return var && var->hasLocalStorage() && isPthreadHandle(var->getType()) ? var : nullptr;
  }

  // `copy = t`, `pthread_t copy = t` and `(void)t` keep the thread in the
  // function: the copy names the same thread, and neither name escapes.
  void noteHandleCopy(const Stmt* s, std::map<const VarDecl*, unsigned>& handleUses) {
    const VarDecl *to = nullptr, *from = nullptr;
    if (const auto* assign = dyn_cast<BinaryOperator>(s); assign && assign->getOpcode() == BO_Assign) {
      to = handleLocal(assign->getLHS());
      from = handleLocal(assign->getRHS());
      if (to && from) --handleUses[to];
    } else if (const auto* decl = dyn_cast<DeclStmt>(s); decl && decl->isSingleDecl()) {
      const auto* var = dyn_cast<VarDecl>(decl->getSingleDecl());
      to = var && var->hasLocalStorage() && isPthreadHandle(var->getType()) ? var : nullptr;
      from = to && to->getInit() ? handleLocal(to->getInit()) : nullptr;
    } else if (const auto* cast = dyn_cast<CStyleCastExpr>(s); cast && cast->getType()->isVoidType()) {
      if (const VarDecl* var = handleLocal(cast->getSubExpr())) --handleUses[var];
    }
    if (!to || !from) return;
    --handleUses[from];
    handleCopies_.emplace_back(to, from);
  }

  // What makes the path state (see PathState) differ from empty somewhere:
  // a lock, guard or semaphore operation, a guard or std::thread local, a
  // thread start, fork().
  void noteStateful(const Stmt* s) {
    if (stateful_) return;
    if (const auto* decl = dyn_cast<DeclStmt>(s)) {
      for (const Decl* d : decl->decls())
        if (const auto* var = dyn_cast<VarDecl>(d))
          stateful_ = stateful_ || isGuardType(var->getType()) || isStdThread(var->getType());
      return;
    }
    if (const auto* construct = dyn_cast<CXXConstructExpr>(s)) {
      stateful_ = startedThreadEntry(construct) != nullptr;
      return;
    }
    const auto* call = dyn_cast<CallExpr>(s);
    if (!call) return;
    const auto* member = dyn_cast<CXXMemberCallExpr>(call);
    stateful_ = classifyLockCall(call) || semaphoreOp(call) || (member && classifyGuardCall(member)) ||
                startedThreadEntry(call) || isForkCall(call);
  }

  // The blocks a walk from the entry reaches, each with the empty state.
  void markReachable() {
    const std::vector<bool> reached = reachableBlocks(cfg_);
    for (unsigned id = 0; id < reached.size(); ++id) in_[id].reachable = reached[id];
  }

  const ParentMap& parents() const {
    if (!parents_) parents_.emplace(function_->getBody());
    return *parents_;
  }

  static const Expr* stripAddress(const Expr* e) {
    e = e->IgnoreParenImpCasts();
    while (const auto* subscript = dyn_cast<ArraySubscriptExpr>(e))
      e = subscript->getBase()->IgnoreParenImpCasts();
    if (const auto* unary = dyn_cast<UnaryOperator>(e); unary && unary->getOpcode() == UO_AddrOf)
      return stripAddress(unary->getSubExpr());
    return e;
  }

  // The pthread_t argument of pthread_create, pthread_join, pthread_detach.
  static const Expr* handleArgument(const CallExpr* call) {
    std::string name = calleeName(call);
    bool handles = name == "pthread_create" || name == "pthread_join" || name == "pthread_detach" ||
                   name == "thrd_create" || name == "thrd_join" || name == "thrd_detach";
    return handles && call->getNumArgs() > 0 ? call->getArg(0) : nullptr;
  }

  // --- fixpoint -----------------------------------------------------------------

  void solve() {
    const CFGBlock& entry = cfg_.getEntry();
    in_[entry.getBlockID()].reachable = true;
    for (const auto& [id, post] : owedSignals_) in_[entry.getBlockID()].unposted.insert(id);
    std::deque<const CFGBlock*> work{&entry};
    std::vector<bool> queued(cfg_.getNumBlockIDs(), false);
    // The facts are finite; the bound only guards against surprises.
    for (size_t steps = 0; !work.empty() && steps < 64 * size_t{cfg_.getNumBlockIDs()}; ++steps) {
      const CFGBlock* block = work.front();
      work.pop_front();
      queued[block->getBlockID()] = false;
      PathState out = transferBlock(*block, in_[block->getBlockID()]);
      unsigned index = 0;
      for (const CFGBlock* succ : block->succs()) {
        unsigned branch = index++;
        if (!succ) continue;
        PathState& target = in_[succ->getBlockID()];
        PathState before = target;
        target.joinWith(edgeState(*block, branch, out));
        if (!(target == before) && !queued[succ->getBlockID()]) {
          queued[succ->getBlockID()] = true;
          work.push_back(succ);
        }
      }
    }
  }

  // What a branch teaches: a try-lock's outcome, a thread no longer
  // joinable, the child side of fork().
  PathState edgeState(const CFGBlock& block, unsigned branch, PathState state) const {
    auto fact = branchFact(block, branch);
    if (!fact) return state;
    if (auto attempt = tries_.find(fact->tested); attempt != tries_.end()) {
      bool success = attempt->second.succeedsWhenZero ? !fact->nonZero : fact->nonZero;
      for (const std::string& lock : attempt->second.locks) {
        if (!success)
          state.locks.erase(lock);
        else if (auto held = state.locks.find(lock); held != state.locks.end() && held->second.tentative)
          held->second = {held->second.lock,    true, held->second.manual, false, held->second.counting,
                          held->second.instance};
      }
    }
    if (const auto* call = dyn_cast<CXXMemberCallExpr>(fact->tested);
        call && memberName(call) == "joinable" && !fact->nonZero)
      if (const VarDecl* thread = localVar(call->getImplicitObjectArgument())) state.joinable.erase(thread);
    state.fork.branch(*fact, sm_);
    return state;
  }

  // --- transfer -----------------------------------------------------------------

  PathState transferBlock(const CFGBlock& block, PathState state) {
    block_ = &block;
    for (const CFGElement& element : block) {
      if (auto stmt = element.getAs<CFGStmt>())
        transferStmt(stmt->getStmt(), state);
      else if (auto dtor = element.getAs<CFGAutomaticObjDtor>())
        transferDestructor(dtor->getVarDecl(), dtor->getTriggerStmt(), block, state);
    }
    return state;
  }

  void transferStmt(const Stmt* s, PathState& state) {
    if (const auto* call = dyn_cast<CallExpr>(s)) return transferCall(call, state);
    if (const auto* construct = dyn_cast<CXXConstructExpr>(s)) {
      state.threadsStarted = state.threadsStarted || startedThreadEntry(construct);
      return;
    }
    if (const auto* decl = dyn_cast<DeclStmt>(s)) {
      for (const Decl* d : decl->decls())
        if (const auto* var = dyn_cast<VarDecl>(d); var && var->getInit())
          transferInit(var, var->getInit(), state);
      return;
    }
    if (const auto* binary = dyn_cast<BinaryOperator>(s); binary && binary->isAssignmentOp()) {
      if (const VarDecl* var = localVar(binary->getLHS())) return transferInit(var, binary->getRHS(), state);
      if (binary->getOpcode() == BO_Assign) checkStaleWrite(binary, state);
      return;
    }
    if (isa<CXXNewExpr>(s)) return noteUnsafeInChild(s, "new", state);
  }

  // A local gets a value: a guard, a thread, fork()'s result, or a value read
  // from shared data.
  void transferInit(const VarDecl* var, const Expr* init, PathState& state) {
    state.stale.erase(var);
    state.fork.assign(var, init, sm_);
    if (isGuardType(var->getType())) return initGuard(var, init, state);
    if (isStdThread(var->getType())) return initThread(var, init, state);
    if (isForkCall(init)) return;
    const Expr* value = init->IgnoreParenImpCasts();
    if (!isa<DeclRefExpr, MemberExpr>(value)) return;
    auto location = sharedLocation(value, context_);
    Lockset held = state.mustHeld();
    if (location && !held.empty())
      state.stale[var] = {location->id, held.front().lock, makeLocation(sm_, value->getBeginLoc())};
  }

  static std::optional<GuardInit> guardInit(const Expr* init) {
    const Expr* e = init->IgnoreImplicit();
    if (const auto* cast = dyn_cast<CXXFunctionalCastExpr>(e)) e = cast->getSubExpr()->IgnoreImplicit();
    const auto* construct = dyn_cast<CXXConstructExpr>(e);
    return construct ? classifyGuardConstruction(construct) : std::nullopt;
  }

  // The locks a guard variable's destructor releases (when it owns them).
  std::vector<std::string> guardLocks(const VarDecl* var) const {
    std::vector<std::string> locks;
    if (var && var->getInit() && isGuardType(var->getType()))
      if (auto guard = guardInit(var->getInit()))
        for (const Expr* lock : guard->locks) locks.push_back(lockIdentity(lock, function_));
    return locks;
  }

  void initGuard(const VarDecl* var, const Expr* init, PathState& state) {
    auto guard = guardInit(init);
    if (!guard) return;
    std::vector<std::string> locks;
    for (const Expr* lock : guard->locks) locks.push_back(lockId(lock));
    state.guards[var] = locks;
    if (guard->start == GuardStart::Lock && locks.size() == 1)
      acquire(locks.front(), instanceOf(guard->locks.front()), guard->mode, var->getLocation(), false, state);
    if (guard->start != GuardStart::Lock && guard->start != GuardStart::Adopt) return;
    for (const std::string& lock : locks) {
      auto [held, added] = state.locks.try_emplace(
          lock,
          LockFact{
              {lock, guard->mode, makeLocation(sm_, var->getLocation())}, true, false, false, false, ""});
      held->second.manual = false;  // an adopted lock is the guard's to release
    }
  }

  void initThread(const VarDecl* var, const Expr* init, PathState& state) {
    Location loc = makeLocation(sm_, var->getLocation());
    const Expr* e = init->IgnoreImplicit();
    if (const auto* construct = dyn_cast<CXXConstructExpr>(e)) {
      if (startedThreadEntry(construct)) {
        state.threadsStarted = true;
        state.joinable[var] = loc;
        return;
      }
      if (construct->getNumArgs() == 1) e = construct->getArg(0)->IgnoreImplicit();
    }
    // Moved from another thread: joinable if that one was.
    if (const auto* call = dyn_cast<CallExpr>(e); call && calleeName(call) == "std::move")
      e = call->getArg(0);
    if (const VarDecl* from = localVar(e); from && state.joinable.count(from)) {
      state.joinable.erase(from);
      state.joinable[var] = loc;
    }
  }

  void transferDestructor(const VarDecl* var, const Stmt* trigger, const CFGBlock& block, PathState& state) {
    if (auto guard = state.guards.find(var); guard != state.guards.end()) {
      for (const std::string& lock : guard->second)
        if (auto held = state.locks.find(lock); held != state.locks.end() && !held->second.manual)
          release(lock, trigger ? trigger->getEndLoc() : SourceLocation(), state);
      state.guards.erase(guard);
      return;
    }
    auto thread = state.joinable.find(var);
    if (thread == state.joinable.end()) return;
    if (recording_)
      event(makeEvent(PathEventKind::ThreadLeak, exitLocation(block, trigger), var->getNameAsString(), "",
                      thread->second));
    state.joinable.erase(thread);
  }

  void transferCall(const CallExpr* call, PathState& state) {
    std::string name = calleeName(call);
    forgetPassedThreads(call, state);
    if (name == "pthread_mutex_init" && call->getNumArgs() == 2 &&
        !call->getArg(1)->isNullPointerConstant(context_, Expr::NPC_ValueDependentIsNotNull))
      recursive_.insert(lockIdentity(call->getArg(0), function_));  // attributes may say so
    if (recording_) recordCallEvents(call, name, state);
    state.fork.call(call);
    if (isForkCall(call) && recording_)
      event(makeEvent(PathEventKind::Fork, loc(call), "", "", {}, {}, {}, state.threadsStarted));
    if (startedThreadEntry(call)) state.threadsStarted = true;
    if (auto op = classifyLockCall(call)) return applyLockOp(call, *op, state);
    if (auto sem = semaphoreOp(call)) {
      std::string id = lockIdentity(sem->semaphore, function_);
      if (posted_.count(id)) applySemaphoreOp(call, id, sem->kind, state);
      return;
    }
    if (const auto* member = dyn_cast<CXXMemberCallExpr>(call))
      if (auto guardOp = classifyGuardCall(member)) applyGuardOp(call, *guardOp, state);
  }

  // A std::thread handed to other code (moved, by reference or pointer) is
  // that code's to join.
  void forgetPassedThreads(const CallExpr* call, PathState& state) {
    if (const auto* member = dyn_cast<CXXMemberCallExpr>(call)) {
      const VarDecl* thread = localVar(member->getImplicitObjectArgument());
      std::string method = memberName(call);
      if (thread && (method == "join" || method == "detach" || method == "swap"))
        state.joinable.erase(thread);
    }
    for (const Expr* arg : call->arguments())
      if (const VarDecl* var = localVar(stripAddress(arg))) state.joinable.erase(var);
    // `t = std::thread(f)` starts a thread in `t`.
    if (const auto* assign = dyn_cast<CXXOperatorCallExpr>(call);
        assign && assign->getOperator() == OO_Equal && assign->getNumArgs() == 2)
      if (const VarDecl* thread = localVar(assign->getArg(0)); thread && isStdThread(thread->getType()))
        if (const auto* start = dyn_cast<CXXConstructExpr>(assign->getArg(1)->IgnoreImplicit());
            start && startedThreadEntry(start))
          state.joinable[thread] = loc(call);
  }

  void recordCallEvents(const CallExpr* call, const std::string& name, PathState& state) {
    if (state.fork.child && isUnsafeInChild(call))
      event(makeEvent(PathEventKind::ForkChildUnsafe, loc(call), "", name, *state.fork.child));
    else if (const FunctionDecl* callee = call->getDirectCallee();
             state.fork.child && callee && !inSystemHeader(sm_, callee->getLocation()))
      event(
          makeEvent(PathEventKind::ForkChildUnsafe, loc(call), functionId(callee), name, *state.fork.child));
    if (auto wait = waitCall(call)) return recordWait(call, *wait, state);
    if (const Expr* condition = notifiedCondition(call))
      event(makeEvent(PathEventKind::Notify, loc(call), lockIdentity(condition, function_), "", {},
                      state.mustHeld()));
    if (isBlockingCall(call)) {
      std::vector<std::string> released;
      released.reserve(state.released.size());
      for (const auto& [id, where] : state.released) released.push_back(id);
      event(makeEvent(PathEventKind::Blocking, loc(call), "", spelling(call), {}, state.mustHeld(),
                      std::move(released)));
    }
    if (const Expr* handle = handleArgument(call)) recordHandle(call, name, handle);
    if (!mayThrow(call) || classifyLockCall(call) || semaphoreOp(call) || !mayUnwindFromHere(call)) return;
    const FunctionDecl* callee = call->getDirectCallee();
    if (!throwingLibraryCall_ && inSystemHeader(sm_, callee->getLocation())) {
      throwingLibraryCall_ = true;
      event(makeEvent(PathEventKind::Exception, loc(call), "", "call:" + spelling(call)));
    }
    // Whether the callee really throws needs the whole program: the check decides.
    for (const auto& [id, fact] : state.locks)
      if (fact.manual && !fact.tentative && !state.callerLocks.count(id))
        event(withGuardFix(makeEvent(PathEventKind::LockLeak, loc(call), id, "throw:" + spelling(call),
                                     fact.lock.acquired, {}, {functionId(callee)})));
  }

  void recordWait(const CallExpr* call, const WaitCall& wait, const PathState& state) {
    std::string mutex;
    if (!isGuardType(wait.mutex->getType()))
      mutex = lockIdentity(wait.mutex, function_);
    else if (auto found = state.guards.find(localVar(wait.mutex));
             found != state.guards.end() && found->second.size() == 1)
      mutex = found->second.front();
    std::set<std::string> names;
    collectSharedNames(wait.predicate, context_, names);
    for (const Stmt* s = parents().getParent(call); s; s = parents().getParent(s)) {
      const Expr* condition = nullptr;
      if (const auto* loop = dyn_cast<WhileStmt>(s))
        condition = loop->getCond();
      else if (const auto* loop = dyn_cast<DoStmt>(s))
        condition = loop->getCond();
      else if (const auto* loop = dyn_cast<ForStmt>(s))
        condition = loop->getCond();
      else if (const auto* branch = dyn_cast<IfStmt>(s))  // `if (!ready) cv.wait(lk);`
        condition = branch->getCond();
      if (condition) {
        collectSharedNames(condition, context_, names);
        break;
      }
    }
    bool looped = wait.predicate || wait.timed || inCycle_[block_->getBlockID()];
    event(makeEvent(PathEventKind::Wait, loc(call), mutex, lockIdentity(wait.condition, function_), {},
                    state.mustHeld(), {names.begin(), names.end()}, looped));
  }

  void recordHandle(const CallExpr* call, const std::string& name, const Expr* handle) {
    if (name == "pthread_detach" || name == "thrd_detach")
      if (const auto* self = dyn_cast<CallExpr>(handle->IgnoreParenImpCasts());
          self && (calleeName(self) == "pthread_self" || calleeName(self) == "thrd_current"))
        return event(makeEvent(PathEventKind::PthreadEnd, loc(call), "self"));
    std::string id = lockIdentity(handle, function_);
    if (name != "pthread_create" && name != "thrd_create")
      return event(makeEvent(PathEventKind::PthreadEnd, loc(call), id));
    const FunctionDecl* entry = startedThreadEntry(call);
    if (isParameterLock(id) || !entry) return;
    bool attributes = name == "pthread_create" &&
                      !call->getArg(1)->isNullPointerConstant(context_, Expr::NPC_ValueDependentIsNotNull);
    event(makeEvent(PathEventKind::PthreadCreate, loc(call), id, functionId(entry), {}, {}, {}, attributes));
  }

  // An exception thrown here leaves the function: not inside a try block,
  // and the function itself may throw.
  bool mayUnwindFromHere(const CallExpr* call) const {
    const auto* proto = function_->getType()->getAs<FunctionProtoType>();
    return context_.getLangOpts().CXXExceptions && !(proto && proto->isNothrow()) && !insideTry(call);
  }

  bool insideTry(const Stmt* s) const {
    for (s = parents().getParent(s); s; s = parents().getParent(s))
      if (isa<CXXTryStmt>(s)) return true;
    return false;
  }

  void noteUnsafeInChild(const Stmt* s, const std::string& what, const PathState& state) {
    if (recording_ && state.fork.child)
      event(makeEvent(PathEventKind::ForkChildUnsafe, loc(s), "", what, *state.fork.child));
  }

  // --- locks ----------------------------------------------------------------------

  // The id of a lock expression, noting recursive mutexes on the way.
  std::string lockId(const Expr* lock) {
    std::string id = lockIdentity(lock, function_);
    if (isRecursiveLockType(lock->getType())) recursive_.insert(id);
    return id;
  }

  // The spelling of a lock whose id covers several objects: an array
  // element, or a field of an object other than `this`.
  std::string instanceOf(const Expr* lock) const {
    const Expr* e = lock->IgnoreParenImpCasts();
    if (const auto* unary = dyn_cast<UnaryOperator>(e)) e = unary->getSubExpr()->IgnoreParenImpCasts();
    const auto* member = dyn_cast<MemberExpr>(e);
    bool several =
        isa<ArraySubscriptExpr>(e) || (member && !isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts()));
    if (!several) return "";
    std::string text;
    llvm::raw_string_ostream out(text);
    e->printPretty(out, nullptr, context_.getPrintingPolicy());
    return out.str();
  }

  void acquire(const std::string& lock, const std::string& instance, LockMode mode, SourceLocation where,
               bool manual, PathState& state) {
    Location at = makeLocation(sm_, where);
    if (auto held = state.locks.find(lock); held != state.locks.end()) {
      LockFact& fact = held->second;
      if (recursive_.count(lock) && manual && fact.manual)
        fact.depth = std::min(fact.depth + 1, kMaxRecursion);
      bool bothShared = mode == LockMode::Shared && fact.lock.mode == LockMode::Shared;
      if (recording_ && !recursive_.count(lock) && !bothShared && !fact.tentative && !fact.counting &&
          fact.instance == instance && lock.find("[]") == std::string::npos)
        event(makeEvent(PathEventKind::DoubleLock, at, lock, "", fact.lock.acquired, {}, {}, fact.must));
      return;
    }
    for (auto& [id, read] : state.stale)
      if (read.lock == lock && read.phase == 1) read.phase = 2;
    state.released.erase(lock);
    state.locks[lock] = LockFact{{lock, mode, at}, true, manual, false, false, instance};
  }

  void release(const std::string& lock, SourceLocation where, PathState& state) {
    if (auto held = state.locks.find(lock); held != state.locks.end() && held->second.depth > 1) {
      --held->second.depth;
      return;
    }
    state.locks.erase(lock);
    state.released[lock] = makeLocation(sm_, where);
    for (auto& [id, read] : state.stale)
      if (read.lock == lock && read.phase == 0) read.phase = 1;
  }

  void applyLockOp(const CallExpr* call, const LockOp& op, PathState& state) {
    std::vector<std::string> locks;
    locks.reserve(op.locks.size());
    for (const Expr* lock : op.locks) locks.push_back(lockId(lock));
    switch (op.kind) {
      case LockOpKind::Acquire:
        for (size_t i = 0; i < locks.size(); ++i)
          acquire(locks[i], instanceOf(op.locks[i]), op.mode, call->getBeginLoc(), true, state);
        if (recording_ && locks.size() == 1) noteGuardFix(call, locks.front(), op.mode);
        return;
      case LockOpKind::TryAcquire:
        return attempt(call, locks, op.mode, op.succeedsWhenZero, true, false, state);
      case LockOpKind::Release:
        for (size_t i = 0; i < locks.size(); ++i) {
          auto held = state.locks.find(locks[i]);
          if (held == state.locks.end()) state.callerLocks.insert(locks[i]);
          // An id that stands for several objects may be released for another one.
          if (recording_ && held == state.locks.end() && instanceOf(op.locks[i]).empty()) {
            auto before = state.released.find(locks[i]);
            event(makeEvent(PathEventKind::UnlockNotHeld, loc(call), locks[i], "",
                            before != state.released.end() ? before->second : Location{}, {}, {},
                            before != state.released.end()));
          }
          release(locks[i], call->getBeginLoc(), state);
        }
        return;
    }
  }

  // `m.lock(); ... m.unlock();` as the statements of one block, the unlock
  // last (or before a final return) and no other unlock of `m` in between:
  // a guard declared in place of the lock() releases it on every path out
  // of the block, and the unlock goes.
  void noteGuardFix(const CallExpr* lockCall, const std::string& lock, LockMode mode) {
    const auto* block = dyn_cast_or_null<CompoundStmt>(parents().getParent(lockCall));
    const Expr* object = objectOf(lockCall);
    if (!block || !object || !isa<CXXMemberCallExpr>(lockCall) ||
        memberName(lockCall) != (mode == LockMode::Shared ? "lock_shared" : "lock") ||
        object->getType()->isPointerType())
      return;
    std::vector<const Stmt*> body(block->body_begin(), block->body_end());
    auto first = std::find(body.begin(), body.end(), lockCall);
    auto last = body.end() - 1;
    if (last != first && isa<ReturnStmt>(*last)) --last;
    const auto* unlockCall = dyn_cast<CallExpr>(*last);
    if (last <= first || !unlockCall || !releases(unlockCall, lock) ||
        std::any_of(first + 1, last, [&](const Stmt* s) { return touchesLock(s, lock); }))
      return;
    const LangOptions& options = context_.getLangOpts();
    auto statementEnd = [&](const CallExpr* call) {
      return Lexer::findLocationAfterToken(call->getEndLoc(), tok::semi, sm_, options, false);
    };
    SourceLocation lockEnd = statementEnd(lockCall), unlockEnd = statementEnd(unlockCall);
    if (lockEnd.isInvalid() || unlockEnd.isInvalid() || lockCall->getBeginLoc().isMacroID() ||
        unlockCall->getBeginLoc().isMacroID())
      return;
    std::string type = object->getType().getNonReferenceType().getUnqualifiedType().getAsString(
        context_.getPrintingPolicy());
    std::string guard = mode == LockMode::Shared ? "std::shared_lock" : "std::lock_guard";
    std::string objectText =
        Lexer::getSourceText(CharSourceRange::getTokenRange(object->getSourceRange()), sm_, options).str();
    guardFixes_[loc(lockCall)] = {
        {loc(lockCall), makeLocation(sm_, lockEnd), guard + "<" + type + "> guard(" + objectText + ");"},
        {loc(unlockCall), makeLocation(sm_, unlockEnd), ""}};
  }

  bool releases(const CallExpr* call, const std::string& lock) const {
    auto op = classifyLockCall(call);
    return op && op->kind == LockOpKind::Release && op->locks.size() == 1 &&
           lockIdentity(op->locks.front(), function_) == lock;
  }

  // Any lock operation on `lock` inside `s`.
  bool touchesLock(const Stmt* s, const std::string& lock) const {
    if (const auto* call = dyn_cast<CallExpr>(s))
      if (auto op = classifyLockCall(call))
        for (const Expr* e : op->locks)
          if (lockIdentity(e, function_) == lock) return true;
    return std::any_of(s->child_begin(), s->child_end(),
                       [&](const Stmt* child) { return child && touchesLock(child, lock); });
  }

  void attempt(const CallExpr* call, const std::vector<std::string>& locks, LockMode mode,
               bool succeedsWhenZero, bool manual, bool counting, PathState& state) {
    tries_[call] = {locks, succeedsWhenZero};
    if (recording_ && inCycle_[block_->getBlockID()] && !counting) recordRetry(call, locks, state);
    for (const std::string& lock : locks)
      if (!state.locks.count(lock))
        state.locks[lock] = LockFact{{lock, mode, loc(call)}, false, manual, true, counting, ""};
  }

  // A try-lock in a loop while holding locks that the loop gives back.
  void recordRetry(const CallExpr* call, const std::vector<std::string>& locks, const PathState& state) {
    std::vector<bool> loop = loopOf(cfg_, *block_);
    bool backsOff = false;
    std::set<std::string> releasedInLoop;
    for (const CFGBlock* block : cfg_)
      if (loop[block->getBlockID()]) {
        backsOff = backsOff || backsOff_[block->getBlockID()];
        releasedInLoop.insert(releases_[block->getBlockID()].begin(), releases_[block->getBlockID()].end());
      }
    Lockset held;
    for (const auto& [id, fact] : state.locks)
      if (!fact.tentative && !fact.counting && releasedInLoop.count(id)) held.push_back(fact.lock);
    if (!held.empty())
      for (const std::string& lock : locks)
        event(makeEvent(PathEventKind::TryRetry, loc(call), lock, "", {}, held, {}, backsOff));
  }

  void applySemaphoreOp(const CallExpr* call, const std::string& id, LockOpKind kind, PathState& state) {
    switch (kind) {
      case LockOpKind::Acquire:
        if (!state.locks.count(id))
          state.locks[id] = LockFact{{id, LockMode::Exclusive, loc(call)}, true, true, false, true, ""};
        return;
      case LockOpKind::TryAcquire:
        return attempt(call, {id}, LockMode::Exclusive, objectOf(call) == nullptr, true, true, state);
      case LockOpKind::Release:
        state.locks.erase(id);
        state.unposted.erase(id);
        return;
    }
  }

  void applyGuardOp(const CallExpr* call, const GuardOp& op, PathState& state) {
    auto guard = state.guards.find(op.guard);
    if (guard == state.guards.end()) return;
    switch (op.kind) {
      case GuardOpKind::Lock:
        if (guard->second.size() == 1)
          acquire(guard->second.front(), "?", LockMode::Exclusive, call->getBeginLoc(), false, state);
        for (const std::string& lock : guard->second)
          state.locks.try_emplace(
              lock, LockFact{{lock, LockMode::Exclusive, loc(call)}, true, false, false, false, "?"});
        return;
      case GuardOpKind::TryLock:
        return attempt(call, guard->second, LockMode::Exclusive, false, false, false, state);
      case GuardOpKind::Unlock:
        for (const std::string& lock : guard->second) release(lock, call->getBeginLoc(), state);
        return;
      case GuardOpKind::Release:  // the caller takes over the locks; we lose track
        for (const std::string& lock : guard->second) state.locks.erase(lock);
        state.guards.erase(guard);
        return;
      case GuardOpKind::OwnsLock:
        return;
    }
  }

  // --- check-then-act -------------------------------------------------------------

  // `shared = f(local)` where the local holds the value read from `shared` in
  // an earlier critical section of the same lock, which is held again now.
  void checkStaleWrite(const BinaryOperator* assign, PathState& state) {
    if (!recording_) return;
    auto target = sharedLocation(assign->getLHS(), context_);
    std::set<std::string> fresh;  // `x = x - d + ...` reads the current value
    collectSharedNames(assign->getRHS(), context_, fresh);
    if (!target || fresh.count(target->id)) return;
    std::set<const VarDecl*> used;
    collectLocals(assign->getRHS(), used);
    for (const VarDecl* var : used) {
      auto read = state.stale.find(var);
      if (read == state.stale.end() || read->second.var != target->id || read->second.phase != 2) continue;
      auto held = state.locks.find(read->second.lock);
      if (held != state.locks.end() && held->second.must)
        event(makeEvent(PathEventKind::StaleWrite, loc(assign), target->id, read->second.lock,
                        read->second.loc));
    }
  }

  static void collectLocals(const Stmt* s, std::set<const VarDecl*>& vars) {
    if (const auto* e = dyn_cast<Expr>(s))
      if (const VarDecl* var = localVar(e)) vars.insert(var);
    for (const Stmt* child : s->children())
      if (child) collectLocals(child, vars);
  }

  // --- exits ----------------------------------------------------------------------

  // Where a block leaves the function: its return or throw, or the closing
  // brace (of the scope `trigger`, for a destructor).
  Location exitLocation(const CFGBlock& block, const Stmt* trigger = nullptr) const {
    for (const CFGElement& element : block)
      if (auto stmt = element.getAs<CFGStmt>(); stmt && isa<ReturnStmt, CXXThrowExpr>(stmt->getStmt()))
        return loc(stmt->getStmt());
    const Stmt* scope = trigger && isa<CompoundStmt>(trigger) ? trigger : function_->getBody();
    return makeLocation(sm_, scope->getEndLoc());
  }

  // The call that ends a block leaving the function without returning.
  static const CallExpr* noReturnCall(const CFGBlock& block) {
    for (auto element = block.rbegin(); element != block.rend(); ++element)
      if (auto stmt = element->getAs<CFGStmt>())
        if (const auto* call = dyn_cast<CallExpr>(stmt->getStmt()))
          return call->getDirectCallee() && call->getDirectCallee()->isNoReturn() ? call : nullptr;
    return nullptr;
  }

  void reportExits() {
    if (function_->hasAttr<AcquireCapabilityAttr>() || function_->hasAttr<TryAcquireCapabilityAttr>()) return;
    struct Exit {
      Location loc;
      std::string kind;
      std::map<std::string, LockFact> locks;
      std::set<std::string> callerLocks;
      std::set<std::string> unposted;
    };
    std::vector<Exit> exits;
    const CFGBlock& exitBlock = cfg_.getExit();
    for (const CFGBlock* block : cfg_) {
      if (!in_[block->getBlockID()].reachable ||
          std::find(block->succ_begin(), block->succ_end(), &exitBlock) == block->succ_end())
        continue;
      PathState out = transferBlock(*block, in_[block->getBlockID()]);
      std::string kind = "return";
      for (const CFGElement& element : *block)
        if (auto stmt = element.getAs<CFGStmt>(); stmt && isa<CXXThrowExpr>(stmt->getStmt())) kind = "throw";
      if (const CallExpr* call = noReturnCall(*block)) {
        std::string name = calleeName(call);
        if (name != "pthread_exit" && name != "thrd_exit")
          continue;  // the process ends: nobody waits for the lock
        kind = "exit";
      }
      exits.push_back({exitLocation(*block), kind, std::move(out.locks), std::move(out.callerLocks),
                       std::move(out.unposted)});
    }
    // Locks held at every normal exit: a function that locks for its caller.
    std::set<std::string> always;
    bool first = true;
    for (const Exit& exit : exits) {
      if (exit.kind != "return") continue;
      std::set<std::string> here;
      for (const auto& [id, fact] : exit.locks)
        if (fact.must && fact.manual && (first || always.count(id))) here.insert(id);
      always = std::move(here);
      first = false;
    }
    // A caller's lock this function dropped and took back is the caller's.
    for (const Exit& exit : exits)
      for (const auto& [id, fact] : exit.locks)
        if (fact.manual && !fact.tentative && !exit.callerLocks.count(id))
          event(withGuardFix(makeEvent(PathEventKind::LockLeak, exit.loc, id, exit.kind, fact.lock.acquired,
                                       {}, {}, always.count(id) > 0)));
    for (const Exit& exit : exits)
      if (exit.kind != "throw")
        for (const std::string& id : exit.unposted)
          event(makeEvent(PathEventKind::LockLeak, exit.loc, id, "unposted", owedSignals_.at(id)));
  }

  PathEvent withGuardFix(PathEvent leak) const {
    if (auto fix = guardFixes_.find(leak.origin); fix != guardFixes_.end()) leak.fix = fix->second;
    return leak;
  }

  void reportEscapedHandles() {
    for (const VarDecl* var : escapedHandles_) {
      events_.push_back(
          makeEvent(PathEventKind::PthreadEnd, makeLocation(sm_, var->getLocation()), handleId(var)));
      if (var->getType()->isArrayType() || var->getType()->isPointerType())
        events_.push_back(makeEvent(PathEventKind::PthreadEnd, makeLocation(sm_, var->getLocation()),
                                    handleId(var) + "[]"));
    }
    // A thread joined, detached or handed on under one name is ended under
    // all the names it was copied to.
    std::set<std::string> ended;
    for (const PathEvent& e : events_)
      if (e.kind == PathEventKind::PthreadEnd) ended.insert(e.subject);
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& [to, from] : handleCopies_) {
        bool toEnded = ended.count(handleId(to)) > 0;
        if (toEnded == (ended.count(handleId(from)) > 0)) continue;
        const VarDecl* other = toEnded ? from : to;
        ended.insert(handleId(other));
        events_.push_back(
            makeEvent(PathEventKind::PthreadEnd, makeLocation(sm_, other->getLocation()), handleId(other)));
        grew = true;
      }
    }
  }

  std::string handleId(const VarDecl* var) const {
    return functionName(function_) + "::" + var->getNameAsString();
  }

  // --- recording --------------------------------------------------------------------

  Location loc(const Stmt* s) const { return makeLocation(sm_, s->getBeginLoc()); }
  Location summaryLocation() const { return makeLocation(sm_, function_->getLocation()); }

  std::string spelling(const CallExpr* call) const {
    std::string name = calleeName(call);
    if (const Expr* object = objectOf(call)) {
      const Expr* base = object->IgnoreParenImpCasts();
      if (const auto* ref = dyn_cast<DeclRefExpr>(base))
        return ref->getDecl()->getNameAsString() + "." + memberName(call);
      if (const auto* member = dyn_cast<MemberExpr>(base))
        return member->getMemberDecl()->getNameAsString() + "." + memberName(call);
    }
    return name;
  }

  // Each event once: loops and the exit pass revisit blocks.
  void event(PathEvent e) {
    auto key = std::make_tuple(static_cast<int>(e.kind), e.loc, e.subject, e.origin);
    if (seen_.insert(key).second) events_.push_back(std::move(e));
  }

  struct Try {
    std::vector<std::string> locks;
    bool succeedsWhenZero = false;
  };

  const FunctionDecl* function_;
  ASTContext& context_;
  const SourceManager& sm_;
  const CFG& cfg_;
  mutable std::optional<ParentMap> parents_;  // built when first needed
  bool stateful_ = false;                     // see noteStateful
  std::vector<PathState> in_;
  std::vector<bool> inCycle_;
  std::vector<std::set<std::string>> releases_;
  std::vector<bool> backsOff_;
  std::set<std::string> posted_;
  std::set<std::string> waited_;
  std::map<std::string, Location> owedSignals_;  // by semaphore: its post
  std::set<std::string> recursive_;
  std::set<const VarDecl*> escapedHandles_;
  std::vector<std::pair<const VarDecl*, const VarDecl*>> handleCopies_;  // (copy, original)
  std::map<const Expr*, Try> tries_;
  bool throwingLibraryCall_ = false;
  std::map<Location, std::vector<Replacement>> guardFixes_;  // by the lock() call
  std::set<std::tuple<int, Location, std::string, Location>> seen_;
  const CFGBlock* block_ = nullptr;
  bool recording_ = false;
  std::vector<PathEvent> events_;
};

}  // namespace

std::vector<PathEvent> collectPathEvents(const FunctionDecl* function, const CFG& cfg) {
  return PathWalk(function, cfg).run();
}

}  // namespace conc::lint
