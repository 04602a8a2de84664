// The files a run writes at exit besides its reports: the lock-order graph
// (lock_graph=FILE: DOT, or SVG through Graphviz for *.svg) and the HTML
// report (report_html=DIR: index.html with lock-graph.dot/.svg, one
// cycle-N.dot per lock-order inversion and one deadlock-N.dot per deadlock).
// Part of libconcrt: it reads the engine's lock graph and the lock table.
#pragma once

namespace conc::rt {

// At exit or at a halt, once reports have stopped; does nothing unless one of
// the two options is set.
void write_run_outputs();

}  // namespace conc::rt
