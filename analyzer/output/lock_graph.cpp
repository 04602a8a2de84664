// The static lock-order graph in DOT, and its SVG rendering by `dot`.
#include "output/lock_graph.h"

#include <map>
#include <set>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/raw_ostream.h>

#include "analyses/shared_data.h"
#include "output/report.h"

namespace conc::lint {
namespace {

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";  // a line break in a DOT label
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string place(const Location& loc) {
  return llvm::sys::path::filename(loc.file).str() + ":" + std::to_string(loc.line);
}

}  // namespace

std::string lockGraphDot(const ProgramModel& model, const std::vector<Finding>& findings) {
  // Lock-order inversion findings point at the acquisitions of their cycle.
  std::set<Location> cyclePlaces;
  for (const Finding& finding : findings) {
    if (finding.check != "lock-order-inversion") continue;
    cyclePlaces.insert(finding.loc);
    for (const RelatedLocation& note : finding.related) cyclePlaces.insert(note.loc);
  }
  std::map<std::string, unsigned> ids;
  std::map<std::string, Location> firstTaken;
  std::map<std::pair<std::string, std::string>, std::pair<const LockEdge*, bool>> edges;
  for (const LockEdge& edge : model.edges) {
    for (const auto& [lock, loc] : {std::pair(edge.from, edge.outer), std::pair(edge.to, edge.inner)}) {
      ids.emplace(lock, static_cast<unsigned>(ids.size()));
      auto [it, fresh] = firstTaken.emplace(lock, loc);
      if (!fresh && loc < it->second) it->second = loc;
    }
    auto [it, fresh] = edges.try_emplace({edge.from, edge.to}, &edge, false);
    if (fresh || edge.inner < it->second.first->inner) it->second.first = &edge;
    it->second.second = it->second.second || cyclePlaces.count(edge.inner);
  }
  std::string out = "digraph \"conc-lint lock-order graph\" {\n";
  out += "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=" +
         quote(
             "conc-lint lock-order graph: an edge A -> B means B is locked while A is held; red: a "
             "lock-order inversion") +
         "];\n";
  out += "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  std::set<std::string> cyclic;  // locks on a red edge
  for (const auto& [pair, edge] : edges)
    if (edge.second) {
      cyclic.insert(pair.first);
      cyclic.insert(pair.second);
    }
  for (const auto& [lock, id] : ids) {
    out += "  L" + std::to_string(id) +
           " [label=" + quote(displayName(lock) + "\nfirst locked at " + place(firstTaken[lock]));
    if (cyclic.count(lock)) out += ", color=\"#c0392b\", fillcolor=\"#fdecea\", penwidth=2";
    out += "];\n";
  }
  for (const auto& [pair, edge] : edges) {
    out += "  L" + std::to_string(ids[pair.first]) + " -> L" + std::to_string(ids[pair.second]) +
           " [label=" + quote(place(edge.first->inner));
    if (edge.second) out += ", color=\"#c0392b\", fontcolor=\"#c0392b\", penwidth=2";
    out += "];\n";
  }
  return out + "}\n";
}

bool writeLockGraph(const std::string& file, const std::string& dot, std::string& message) {
  std::string target = file;
  std::string note;
  if (llvm::StringRef(file).ends_with(".svg")) {
    llvm::ErrorOr<std::string> program = llvm::sys::findProgramByName("dot");
    if (program) {
      llvm::SmallString<128> input;
      int fd = 0;
      if (std::error_code ec = llvm::sys::fs::createTemporaryFile("conc-lint-graph", "dot", fd, input)) {
        message = "cannot create a temporary file: " + ec.message();
        return false;
      }
      {
        llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
        out << dot;
      }
      std::string errorText;
      int status = llvm::sys::ExecuteAndWait(*program, {*program, "-Tsvg", "-o", file, input.str()},
                                             std::nullopt, {}, 0, 0, &errorText);
      llvm::sys::fs::remove(input);
      if (status == 0) return true;
      note = "dot -Tsvg failed" + (errorText.empty() ? "" : " (" + errorText + ")");
    } else {
      note = "Graphviz's dot is not installed (Debian: apt-get install graphviz)";
    }
    target = file + ".dot";
  }
  std::error_code ec;
  llvm::raw_fd_ostream out(target, ec);
  if (ec) {
    message = target + ": cannot write: " + ec.message();
    return false;
  }
  out << dot;
  if (!note.empty()) message = "no SVG lock graph: " + note + "; wrote the graph as DOT to " + target;
  return true;
}

}  // namespace conc::lint
