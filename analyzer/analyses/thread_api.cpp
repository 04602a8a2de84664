// Thread starts and joins in Clang's AST.
#include "analyses/thread_api.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>

#include "analyses/ast_names.h"

namespace conc::lint {
namespace {

using namespace clang;

bool isThreadClass(QualType type) {
  const CXXRecordDecl* record = type.getNonReferenceType()->getAsCXXRecordDecl();
  if (!record) return false;
  std::string name = plainQualifiedName(record);
  return name == "std::thread" || name == "std::jthread";
}

// std::function and the other wrappers that erase a callable's type; their
// first template argument is the signature.
const ClassTemplateSpecializationDecl* typeErasedCallable(QualType type) {
  const auto* spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(type.getNonReferenceType()->getAsCXXRecordDecl());
  if (!spec || spec->getTemplateArgs().size() == 0) return nullptr;
  std::string name = plainQualifiedName(spec);
  bool erased = name == "std::function" || name == "std::move_only_function" || name == "std::packaged_task";
  return erased ? spec : nullptr;
}

std::string signatureOf(const FunctionProtoType* type) {
  auto spelled = [](QualType t) { return t.getCanonicalType().getUnqualifiedType().getAsString(); };
  std::string signature = spelled(type->getReturnType()) + "(";
  for (unsigned i = 0; i < type->getNumParams(); ++i)
    signature += (i ? ", " : "") + spelled(type->getParamType(i));
  return signature + ")";
}

// The callable's body: f, &f, a lambda, a variable holding a lambda, a
// function object, or &Class::method, also wrapped in std::function.
const FunctionDecl* callableBody(const Expr* callable) {
  const Expr* e = callable->IgnoreParenImpCasts();
  while (true) {
    if (const auto* m = dyn_cast<MaterializeTemporaryExpr>(e))
      e = m->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto* b = dyn_cast<CXXBindTemporaryExpr>(e))
      e = b->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto* c = dyn_cast<CXXFunctionalCastExpr>(e))
      e = c->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto* u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_AddrOf)
      e = u->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto* construct = dyn_cast<CXXConstructExpr>(e);
             construct && construct->getNumArgs() == 1 &&
             (construct->getConstructor()->isCopyOrMoveConstructor() ||
              typeErasedCallable(construct->getType())))
      e = construct->getArg(0)->IgnoreParenImpCasts();
    else
      break;
  }
  if (const auto* lambda = dyn_cast<LambdaExpr>(e)) return lambda->getCallOperator();
  if (const auto* ref = dyn_cast<DeclRefExpr>(e))
    if (const auto* function = dyn_cast<FunctionDecl>(ref->getDecl())) return function;
  const CXXRecordDecl* record = e->getType().getNonReferenceType()->getAsCXXRecordDecl();
  if (!record || !record->hasDefinition()) return nullptr;
  if (record->isLambda()) return record->getLambdaCallOperator();
  for (const CXXMethodDecl* method : record->methods())
    if (method->getOverloadedOperator() == OO_Call) return method;
  return nullptr;
}

// The arguments from the callable on, skipping a std::launch policy.
llvm::ArrayRef<const Expr*> fromCallable(llvm::ArrayRef<const Expr*> args) {
  while (!args.empty()) {
    const TagDecl* tag = args.front()->IgnoreParenImpCasts()->getType()->getAsTagDecl();
    if (!tag || plainQualifiedName(tag) != "std::launch") break;
    args = args.drop_front();
  }
  return args;
}

const FunctionDecl* firstCallable(llvm::ArrayRef<const Expr*> args) {
  args = fromCallable(args);
  if (args.empty() || isThreadClass(args.front()->getType()))
    return nullptr;  // moving a thread starts nothing
  return callableBody(args.front());
}

std::vector<const Expr*> argumentsOf(const CallExpr* call) { return {call->arg_begin(), call->arg_end()}; }

// What a thread start passes on to its callable: std::ref(x) passes x.
const Expr* passedArgument(const Expr* arg) {
  const Expr* e = arg->IgnoreImplicit();
  if (const auto* call = dyn_cast<CallExpr>(e); call && call->getNumArgs() == 1 && call->getDirectCallee()) {
    std::string name = plainQualifiedName(call->getDirectCallee());
    if (name == "std::ref" || name == "std::cref") return call->getArg(0);
  }
  return arg;
}

bool isThreadContainer(const Expr* object) {
  const auto* spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      object->getType().getNonReferenceType()->getAsCXXRecordDecl());
  if (!spec || spec->getTemplateArgs().size() == 0) return false;
  const TemplateArgument& first = spec->getTemplateArgs()[0];
  return first.getKind() == TemplateArgument::Type && isThreadClass(first.getAsType());
}

}  // namespace

const FunctionDecl* startedThreadEntry(const Stmt* s) {
  if (const auto* construct = dyn_cast<CXXConstructExpr>(s)) {
    if (!isThreadClass(construct->getType()) || construct->getNumArgs() == 0) return nullptr;
    return firstCallable({construct->getArgs(), construct->getNumArgs()});
  }
  if (const auto* member = dyn_cast<CXXMemberCallExpr>(s)) {
    const CXXMethodDecl* method = member->getMethodDecl();
    if (!method || !method->getIdentifier() || !member->getImplicitObjectArgument()) return nullptr;
    llvm::StringRef name = method->getName();
    if ((name == "emplace_back" || name == "emplace" || name == "push_back") &&
        isThreadContainer(member->getImplicitObjectArgument()))
      return firstCallable(argumentsOf(member));
    return nullptr;
  }
  const auto* call = dyn_cast<CallExpr>(s);
  if (!call || !call->getDirectCallee() || !call->getDirectCallee()->getIdentifier()) return nullptr;
  const FunctionDecl* callee = call->getDirectCallee();
  if (callee->getName() == "pthread_create" && call->getNumArgs() == 4) return callableBody(call->getArg(2));
  if (callee->getName() == "thrd_create" && call->getNumArgs() == 3) return callableBody(call->getArg(1));
  if (plainQualifiedName(callee) == "std::async") return firstCallable(argumentsOf(call));
  return nullptr;
}

std::vector<const Expr*> startedThreadArguments(const Stmt* s, const FunctionDecl* entry) {
  std::vector<const Expr*> all;
  if (const auto* construct = dyn_cast<CXXConstructExpr>(s))
    all.assign(construct->arg_begin(), construct->arg_end());
  else if (const auto* call = dyn_cast<CallExpr>(s))
    all = argumentsOf(call);
  const auto* call = dyn_cast<CallExpr>(s);
  const FunctionDecl* callee = call ? call->getDirectCallee() : nullptr;
  llvm::StringRef name = callee && callee->getIdentifier() ? callee->getName() : "";
  llvm::ArrayRef<const Expr*> args = all;
  if (name == "pthread_create" || name == "thrd_create") {
    args = args.take_back(1);  // pthread_create(&t, attr, body, arg), thrd_create(&t, body, arg)
  } else {
    args = fromCallable(args);
    if (args.empty()) return {};
    args = args.drop_front();  // the callable
    const auto* method = dyn_cast<CXXMethodDecl>(entry);
    if (method && !method->isStatic() && !method->getParent()->isLambda() &&
        method->getOverloadedOperator() != OO_Call && !args.empty())
      args = args.drop_front();  // &Class::method takes the object first
  }
  std::vector<const Expr*> passed;
  for (const Expr* arg : args) passed.push_back(passedArgument(arg));
  return passed;
}

bool isJoin(const Stmt* s) {
  if (const auto* member = dyn_cast<CXXMemberCallExpr>(s)) {
    const CXXMethodDecl* method = member->getMethodDecl();
    const Expr* object = member->getImplicitObjectArgument();
    if (!method || !method->getIdentifier() || !object) return false;
    llvm::StringRef name = method->getName();
    if (name == "join") return isThreadClass(object->getType());
    const CXXRecordDecl* record = object->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!record) return false;
    std::string recordName = plainQualifiedName(record);
    // Waiting for a latch is waiting for the workers to get past their part.
    return (name == "get" || name == "wait") &&
           (recordName == "std::future" || recordName == "std::shared_future" || recordName == "std::latch");
  }
  const auto* call = dyn_cast<CallExpr>(s);
  if (!call || !call->getDirectCallee() || !call->getDirectCallee()->getIdentifier()) return false;
  llvm::StringRef name = call->getDirectCallee()->getName();
  return name == "pthread_join" || name == "thrd_join";
}

std::vector<const FunctionDecl*> handedCallables(const CallExpr* call) {
  std::vector<const FunctionDecl*> bodies;
  for (const Expr* arg : call->arguments()) {
    // Only arguments that are callables by their type: not any object that
    // happens to have an operator().
    QualType type = arg->IgnoreParenImpCasts()->getType().getNonReferenceType();
    const CXXRecordDecl* record = type->getAsCXXRecordDecl();
    bool callableType = type->isFunctionPointerType() || type->isFunctionType() ||
                        type->isMemberFunctionPointerType() || typeErasedCallable(type) ||
                        (record && record->isLambda());
    if (!callableType) continue;
    if (const FunctionDecl* body = callableBody(arg);
        body && !inSystemHeader(body->getASTContext().getSourceManager(), body->getLocation()))
      bodies.push_back(body);
  }
  return bodies;
}

std::string callableSignature(const FunctionDecl* function) {
  const auto* type = function->getType()->getAs<FunctionProtoType>();
  return type ? signatureOf(type) : "";
}

std::optional<std::string> indirectCallSignature(const CallExpr* call) {
  if (const auto* op = dyn_cast<CXXOperatorCallExpr>(call)) {
    if (op->getOperator() != OO_Call || op->getNumArgs() == 0) return std::nullopt;
    const ClassTemplateSpecializationDecl* erased = typeErasedCallable(op->getArg(0)->getType());
    const TemplateArgument& signature = erased ? erased->getTemplateArgs()[0] : TemplateArgument();
    if (signature.getKind() != TemplateArgument::Type) return std::nullopt;
    if (const auto* type = signature.getAsType()->getAs<FunctionProtoType>()) return signatureOf(type);
    return std::nullopt;
  }
  if (call->getCalleeDecl() && isa<FunctionDecl>(call->getCalleeDecl()))
    return std::nullopt;  // a direct call
  QualType callee = call->getCallee()->getType();
  if (const auto* pointer = callee->getAs<PointerType>()) callee = pointer->getPointeeType();
  if (const auto* type = callee->getAs<FunctionProtoType>()) return signatureOf(type);
  return std::nullopt;
}

bool joinsOnDestruction(QualType type) {
  const CXXRecordDecl* record = type->getAsCXXRecordDecl();
  return record && plainQualifiedName(record) == "std::jthread";
}

}  // namespace conc::lint
