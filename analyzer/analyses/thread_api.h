// Recognises where threads start and where they are joined: pthread_create,
// std::thread / std::jthread construction (also through emplace_back on a
// container of threads), std::async; pthread_join, thread::join, future
// get/wait, and the joining destructor of std::jthread. Also the two halves
// of a callback that a thread may run later: callables handed to a call, and
// calls made through a function pointer or std::function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

namespace conc::lint {

// The function a thread starts in, when `s` starts one (a lambda's call
// operator for lambdas, operator() for function objects).
const clang::FunctionDecl* startedThreadEntry(const clang::Stmt* s);

// What the thread start `s` (of `entry`, see startedThreadEntry) passes to
// the entry's parameters, in their order: pthread_create's argument, or
// std::thread's arguments after the callable (and after the object for a
// member function), std::ref unwrapped.
std::vector<const clang::Expr*> startedThreadArguments(const clang::Stmt* s,
                                                       const clang::FunctionDecl* entry);

bool isJoin(const clang::Stmt* s);

// The functions and lambdas passed as arguments to `call` (a function's
// address, a lambda, a function object, also wrapped in std::function).
std::vector<const clang::FunctionDecl*> handedCallables(const clang::CallExpr* call);

// `R(A, B)`: the signature a callable is called with, spelled the same for a
// function, a lambda's call operator and a function pointer type.
std::string callableSignature(const clang::FunctionDecl* function);

// The signature of what `call` calls when it calls through a function pointer
// or a std::function (or another type-erased callable): the callee is not
// known here, any callable of that signature may run.
std::optional<std::string> indirectCallSignature(const clang::CallExpr* call);
bool joinsOnDestruction(clang::QualType type);  // std::jthread

}  // namespace conc::lint
