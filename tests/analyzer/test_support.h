// Helpers for conc-lint's unit tests: summarize a snippet of C or C++ in
// memory, find a function's summary, and run the checks on snippets.
#pragma once

#include <string>
#include <vector>

#include "analyses/program_model.h"
#include "analyses/summary.h"
#include "checks/check.h"

namespace conc::lint::test {

enum class Language { C, Cxx };

// Summaries of every function in `code` (parsed as input.c or input.cc with
// -pthread and the real system headers).
ProgramSummary summarize(const std::string& code, Language language = Language::Cxx);

// The summary of the function called `name` (qualified name); fails the test
// when there is none.
const FunctionSummary& function(const ProgramSummary& program, const std::string& name);

// Lock ids of a lockset, without their `@file` part.
std::vector<std::string> lockNames(const Lockset& locks);

// The accesses of `function` to the variable displayed as `name`.
std::vector<Access> accessesTo(const FunctionSummary& function, const std::string& name);

// The findings of all checks on the program made of `code`.
std::vector<Finding> findings(const std::string& code, Language language = Language::Cxx);

// "check:line" for each finding.
std::vector<std::string> findingKeys(const std::vector<Finding>& found);

}  // namespace conc::lint::test
