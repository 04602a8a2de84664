// conc-lint --graph=FILE: the static lock-order graph, an edge A -> B for
// every place B is acquired while A is held (through calls too), each lock
// labelled with where it is first acquired, and the edges that lock-order
// inversion findings point at drawn in red. Graphviz DOT, or SVG through
// Graphviz's `dot` when FILE ends in .svg.
#pragma once

#include <string>
#include <vector>

#include "analyses/program_model.h"
#include "checks/check.h"

namespace conc::lint {

std::string lockGraphDot(const ProgramModel& model, const std::vector<Finding>& findings);

// Writes the graph to `file`; false when nothing could be written. `message`
// says why, or (when true) why the graph went to FILE.dot instead of SVG.
bool writeLockGraph(const std::string& file, const std::string& dot, std::string& message);

}  // namespace conc::lint
