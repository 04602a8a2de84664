// DOT output of the lock-order graph, and SVG through Graphviz's `dot`.
#include "reports/lock_graph_dot.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include "reports/format.h"
#include "reports/output.h"

namespace conc::rt {
namespace {

// A DOT double-quoted string; "\n" inside a label is a line break.
std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// "f at file.c:12", from the first frame outside the standard library.
std::string site_text(const FrameList& stack) {
  const Frame* f = first_user_frame(stack);
  if (!f) return "unknown place";
  std::string out = f->function.empty() ? hex(f->pc) : f->function;
  if (!f->file.empty()) {
    size_t slash = f->file.rfind('/');
    out += " at " + (slash == std::string::npos ? f->file : f->file.substr(slash + 1)) + ":" +
           std::to_string(f->line);
  }
  return out;
}

std::string node_id(uintptr_t addr) { return "L" + hex(addr).substr(2); }

std::string read_all(int fd) {
  std::string text;
  char buf[8192];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

}  // namespace

LockGraphView cycle_graph(const ReportView& report) {
  LockGraphView graph;
  for (const EdgeView& e : report.cycle) {
    graph.locks.push_back({e.from, e.from_name, "taken in", e.held_stack});
    graph.edges.push_back({e.from, e.to, e.tid, e.stack, true});
  }
  return graph;
}

std::string format_graph_dot(const LockGraphView& graph, const std::string& title) {
  std::map<uintptr_t, bool> cyclic;
  for (const GraphEdge& e : graph.edges)
    if (e.in_cycle) cyclic[e.from] = cyclic[e.to] = true;
  std::string out = "digraph " + quote(title) + " {\n";
  out += "  graph [rankdir=LR, fontname=\"Helvetica\", label=" +
         quote(title + ": an edge A -> B means B was locked while A was held; red: a reported cycle") +
         ", labelloc=t];\n";
  out += "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  std::map<uintptr_t, bool> written;
  auto node = [&](const GraphLock& l) {
    if (written[l.addr]) return;
    written[l.addr] = true;
    std::string label = (l.name.empty() ? "lock " + hex(l.addr) : l.name + " (" + hex(l.addr) + ")");
    if (!l.site.empty()) label += "\n" + l.site_label + " " + site_text(l.site);
    out += "  " + node_id(l.addr) + " [label=" + quote(label);
    if (cyclic.count(l.addr)) out += ", color=\"#c0392b\", fillcolor=\"#fdecea\", penwidth=2";
    out += "];\n";
  };
  for (const GraphLock& l : graph.locks) node(l);
  for (const GraphEdge& e : graph.edges) {
    for (uintptr_t addr : {e.from, e.to}) node({addr, "", "", {}});
    out +=
        "  " + node_id(e.from) + " -> " + node_id(e.to) + " [label=" +
        quote((e.tid == 0 ? std::string("main") : "T" + std::to_string(e.tid)) + ": " + site_text(e.stack));
    if (e.in_cycle) out += ", color=\"#c0392b\", fontcolor=\"#c0392b\", penwidth=2";
    out += "];\n";
  }
  return out + "}\n";
}

std::string format_deadlock_dot(const ReportView& report, const std::string& title) {
  std::string out = "digraph " + quote(title) + " {\n";
  // circo lays a cycle out as a circle.
  out += "  graph [layout=circo, fontname=\"Helvetica\", labelloc=t, label=" +
         quote(title + ": each thread waits for a lock the next one holds") + "];\n";
  out += "  node [fontname=\"Helvetica\", color=\"#c0392b\", penwidth=2];\n";
  out +=
      "  edge [fontname=\"Helvetica\", fontsize=10, color=\"#c0392b\", fontcolor=\"#c0392b\", penwidth=2];\n";
  std::map<uintptr_t, bool> waited;  // locks whose wait was seen
  std::map<engine::Tid, bool> threads;
  std::string edges;
  for (const EventView& e : report.events) {
    if (e.addr == 0) continue;
    const std::string thread = "T" + std::to_string(e.tid), lock = node_id(e.addr);
    threads[e.tid] = true;
    if (!waited[e.addr]) {
      waited[e.addr] = true;
      // A join cycle waits on thread objects, not locks.
      const bool join = e.what.find(" joining ") != std::string::npos;
      out += "  " + lock + " [label=" + quote((join ? "thread object " : "lock ") + hex(e.addr)) +
             ", shape=box, style=\"rounded,filled\", fillcolor=\"#fdecea\"];\n";
      edges.append("  ").append(thread).append(" -> ").append(lock);
      edges.append(" [label=").append(quote("waits in\n" + site_text(e.stack))).append("];\n");
    } else {
      edges.append("  ").append(lock).append(" -> ").append(thread);
      edges.append(" [label=").append(quote("holds it, taken in\n" + site_text(e.stack))).append("];\n");
    }
  }
  for (const auto& [tid, seen] : threads)
    out += "  T" + std::to_string(tid) +
           " [label=" + quote(tid == 0 ? std::string("main thread") : "thread T" + std::to_string(tid)) +
           ", shape=ellipse];\n";
  return out + edges + "}\n";
}

std::string render_svg(const std::string& dot_text, std::string& error) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    error = "pipe: " + error_text(errno);
    return "";
  }
  if (pipe2(out, O_CLOEXEC) != 0) {
    error = "pipe: " + error_text(errno);
    close(in[0]);
    close(in[1]);
    return "";
  }
  // dot must not load libconcrt again, nor write a graph of its own.
  std::vector<char*> env;
  for (char** e = environ; e && *e; ++e)
    if (strncmp(*e, "LD_PRELOAD=", 11) != 0 && strncmp(*e, "CONC_OPTIONS=", 13) != 0) env.push_back(*e);
  env.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  char arg0[] = "dot", arg1[] = "-Tsvg";
  char* argv[] = {arg0, arg1, nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "dot", &actions, nullptr, argv, env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    error = "Graphviz's dot is not installed (Debian: apt-get install graphviz)";
    return "";
  }
  // The graph goes in whole before the SVG is read: dot reads all of its
  // input before it writes anything.
  write_all(in[1], dot_text);
  close(in[1]);
  std::string svg = read_all(out[0]);
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || svg.empty()) {
    error = WIFEXITED(status) && WEXITSTATUS(status) == 127
                ? "Graphviz's dot is not installed (Debian: apt-get install graphviz)"
                : "dot -Tsvg failed";
    return "";
  }
  return svg;
}

}  // namespace conc::rt
