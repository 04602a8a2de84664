// Release/acquire operations in Clang's AST.
#include "analyses/sync_api.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <llvm/ADT/StringSwitch.h>

#include "analyses/ast_names.h"
#include "analyses/lock_api.h"

namespace conc::lint {
namespace {

using namespace clang;

struct Sides {
  bool release, acquire;
};

// What an atomic operation's memory order allows, from the order's name
// (std::memory_order_release, memory_order::acquire, __ATOMIC_SEQ_CST...).
// No order argument, or one we cannot read, means seq_cst.
Sides orderSides(const Expr* order) {
  if (!order) return {true, true};
  const auto* ref = dyn_cast<DeclRefExpr>(order->IgnoreParenImpCasts());
  if (!ref) return {true, true};
  std::string name = ref->getDecl()->getNameAsString();
  auto has = [&](const char* part) { return name.find(part) != std::string::npos; };
  if (has("relaxed")) return {false, false};
  return {has("release") || has("acq_rel") || has("seq_cst"),
          has("acquire") || has("consume") || has("acq_rel") || has("seq_cst")};
}

enum class AtomicOp { Store, Load, ReadModifyWrite };

Sides atomicSides(AtomicOp op, Sides order) {
  switch (op) {
    case AtomicOp::Store:
      return {order.release, false};
    case AtomicOp::Load:
      return {false, order.acquire};
    case AtomicOp::ReadModifyWrite:
      return order;
  }
  return order;
}

std::vector<SyncEvent> event(const std::string& object, Sides sides) {
  if (!sides.release && !sides.acquire) return {};
  return {{object, sides.release, sides.acquire}};
}

std::string templateArgument(const CXXRecordDecl* record) {
  const auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(record);
  if (!spec || spec->getTemplateArgs().size() == 0 ||
      spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return "?";
  return spec->getTemplateArgs()[0].getAsType().getAsString();
}

std::vector<SyncEvent> stdAtomicMember(llvm::StringRef method, const CallExpr* call, unsigned firstArg,
                                       const std::string& object) {
  auto arg = [&](unsigned index) -> const Expr* {
    return firstArg + index < call->getNumArgs() ? call->getArg(firstArg + index) : nullptr;
  };
  if (method == "store") return event(object, atomicSides(AtomicOp::Store, orderSides(arg(1))));
  if (method == "load") return event(object, atomicSides(AtomicOp::Load, orderSides(arg(0))));
  if (method.starts_with("compare_exchange")) return event(object, orderSides(arg(2)));
  if (method == "exchange" || method.starts_with("fetch_") || method == "test_and_set")
    return event(object, orderSides(arg(1)));
  if (method == "test" || method == "wait")
    return event(object, atomicSides(AtomicOp::Load, orderSides(arg(method == "wait" ? 1 : 0))));
  if (method == "clear") return event(object, atomicSides(AtomicOp::Store, orderSides(arg(0))));
  return event(object, {true, true});  // operators: seq_cst
}

std::vector<SyncEvent> memberEvents(const CallExpr* call, const CXXMethodDecl* method, const Expr* object,
                                    unsigned firstArg, const FunctionDecl* function) {
  const CXXRecordDecl* record = object->getType().getNonReferenceType()->getAsCXXRecordDecl();
  if (!record) return {};
  std::string type = plainQualifiedName(record);
  llvm::StringRef name = method->getIdentifier() ? method->getName() : "";
  std::string id = lockIdentity(object, function);
  if (type.starts_with("std::atomic") || type.starts_with("std::__atomic"))
    return stdAtomicMember(name, call, firstArg, id);
  if (type == "std::promise")
    return event("future:" + templateArgument(record), {name.starts_with("set_"), false});
  if (type == "std::future" || type == "std::shared_future")
    return event("future:" + templateArgument(record), {false, name == "get" || name.starts_with("wait")});
  Sides sides = llvm::StringSwitch<Sides>(name)
                    .Cases("notify_one", "notify_all", "count_down", "arrive", "release", Sides{true, false})
                    .Cases("wait", "wait_for", "wait_until", "acquire", "try_acquire", Sides{false, true})
                    .Cases("arrive_and_wait", "arrive_and_drop", Sides{true, true})
                    .Default(Sides{false, false});
  bool synchronizer = type.starts_with("std::condition_variable") || type == "std::latch" ||
                      type == "std::barrier" || type.starts_with("std::counting_semaphore") ||
                      type == "std::binary_semaphore";
  return synchronizer ? event(id, sides) : std::vector<SyncEvent>{};
}

std::vector<SyncEvent> functionEvents(const CallExpr* call, const FunctionDecl* callee,
                                      const FunctionDecl* function) {
  if (!callee->getIdentifier() || call->getNumArgs() == 0) return {};
  llvm::StringRef name = callee->getName();
  std::string object = lockIdentity(call->getArg(0), function);
  Sides sides = llvm::StringSwitch<Sides>(name)
                    .Cases("sem_post", "pthread_cond_signal", "pthread_cond_broadcast", "cnd_signal",
                           "cnd_broadcast", Sides{true, false})
                    .Cases("sem_wait", "sem_timedwait", "sem_clockwait", Sides{false, true})
                    .Cases("pthread_cond_wait", "pthread_cond_timedwait", "cnd_wait", "cnd_timedwait",
                           Sides{false, true})
                    .Case("pthread_barrier_wait", Sides{true, true})
                    .Default(Sides{false, false});
  if (sides.release || sides.acquire) return event(object, sides);
  // C11 <stdatomic.h>: atomic_OP(obj, ...) and atomic_OP_explicit(obj, ..., order).
  if (!name.consume_front("atomic_") && !name.consume_front("__c11_atomic_")) return {};
  bool isExplicit = name.consume_back("_explicit");
  const Expr* order = isExplicit ? call->getArg(call->getNumArgs() - 1) : nullptr;
  if (name.starts_with("compare_exchange") && isExplicit && call->getNumArgs() >= 2)
    order = call->getArg(call->getNumArgs() - 2);
  AtomicOp op = name == "store"  ? AtomicOp::Store
                : name == "load" ? AtomicOp::Load
                                 : AtomicOp::ReadModifyWrite;
  return event(object, atomicSides(op, orderSides(order)));
}

}  // namespace

std::vector<SyncEvent> syncEvents(const Stmt* s, const FunctionDecl* function) {
  const auto* call = dyn_cast<CallExpr>(s);
  if (!call) return {};
  const auto* method = dyn_cast_or_null<CXXMethodDecl>(call->getDirectCallee());
  if (const auto* member = dyn_cast<CXXMemberCallExpr>(call))
    return method && member->getImplicitObjectArgument()
               ? memberEvents(call, method, member->getImplicitObjectArgument(), 0, function)
               : std::vector<SyncEvent>{};
  if (isa<CXXOperatorCallExpr>(call) && method && call->getNumArgs() > 0)
    return memberEvents(call, method, call->getArg(0), 1, function);
  if (const FunctionDecl* callee = call->getDirectCallee()) return functionEvents(call, callee, function);
  return {};
}

}  // namespace conc::lint
