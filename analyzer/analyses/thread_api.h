// Recognises where threads start and where they are joined: pthread_create,
// std::thread / std::jthread construction (also through emplace_back on a
// container of threads), std::async; pthread_join, thread::join, future
// get/wait, and the joining destructor of std::jthread.
#pragma once

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

namespace conc::lint {

// The function a thread starts in, when `s` starts one (a lambda's call
// operator for lambdas, operator() for function objects).
const clang::FunctionDecl *startedThreadEntry(const clang::Stmt *s);

bool isJoin(const clang::Stmt *s);
bool joinsOnDestruction(clang::QualType type); // std::jthread

} // namespace conc::lint
