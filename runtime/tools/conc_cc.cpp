// conc-cc / conc-c++: drop-in compiler wrappers that build a program for
// libconcrt. Compilation gets -fsanitize=thread -g; linking gets libconcrt
// instead of the compiler's ThreadSanitizer runtime:
//   clang: -fno-sanitize-link-runtime, then -lconcrt.
//   gcc:   has no such flag and adds libtsan whenever -fsanitize=thread is on
//          the link line, so the flag is removed from links, and a one-step
//          "compile and link" is split into compiles of each source followed
//          by a link of the objects.
// The compiler is clang-16 (path fixed at configure time) unless
// CONC_COMPILER says "gcc", "clang" or names a compiler.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tools/tool_paths.h"

namespace {

using Args = std::vector<std::string>;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

struct Compiler {
  std::string path;
  bool gcc = false;
};

// The C++ driver of a C compiler name: clang → clang++, gcc → g++.
std::string cxx_name(const std::string& c) {
  std::string base = base_name(c);
  std::string dir = c.substr(0, c.size() - base.size());
  if (base.find("++") != std::string::npos) return c;
  if (size_t at = base.find("clang"); at != std::string::npos) return dir + base.replace(at, 5, "clang++");
  if (size_t at = base.find("gcc"); at != std::string::npos) return dir + base.replace(at, 3, "g++");
  if (base == "cc") return dir + "c++";
  return c;
}

Compiler choose_compiler(bool cxx) {
  const char* env = getenv("CONC_COMPILER");
  std::string choice = env ? env : "";
  if (choice.empty() || choice == "clang") return {cxx ? CONC_DEFAULT_CXX : CONC_DEFAULT_CC, false};
  if (choice == "gcc") return {cxx ? "g++" : "gcc", true};
  std::string path = cxx ? cxx_name(choice) : choice;
  return {path, base_name(path).find("clang") == std::string::npos};
}

// Options whose value is the next argument.
const std::set<std::string_view> kTakesValue = {"-o",
                                                "-x",
                                                "-I",
                                                "-D",
                                                "-U",
                                                "-include",
                                                "-imacros",
                                                "-isystem",
                                                "-iquote",
                                                "-idirafter",
                                                "-isysroot",
                                                "-MF",
                                                "-MT",
                                                "-MQ",
                                                "-L",
                                                "-l",
                                                "-Xlinker",
                                                "-Xassembler",
                                                "-Xpreprocessor",
                                                "-Xclang",
                                                "-T",
                                                "-u",
                                                "-z",
                                                "-e",
                                                "--param",
                                                "-target",
                                                "-arch",
                                                "-aux-info"};

// Options that only matter to the linker (left out of split compiles).
bool link_only(std::string_view a) {
  return starts_with(a, "-l") || starts_with(a, "-L") || starts_with(a, "-Wl,") || a == "-Xlinker" ||
         a == "-shared" || starts_with(a, "-static") || a == "-rdynamic" || a == "-pie" || a == "-no-pie" ||
         a == "-s" || a == "-T" || a == "-u" || a == "-z" || a == "-e";
}

// Dependency-file options: meaningless for the temporary objects of a split.
bool dependency_option(std::string_view a) {
  return a == "-MD" || a == "-MMD" || a == "-MP" || a == "-MF" || a == "-MT" || a == "-MQ";
}

bool is_source(std::string_view a) {
  static const char* const exts[] = {".c",  ".cc",  ".cpp", ".cxx", ".c++", ".C",
                                     ".cp", ".CPP", ".i",   ".ii",  ".s",   ".S"};
  for (const char* e : exts)
    if (ends_with(a, e)) return true;
  return false;
}

// One command line, split into what the wrapper needs to know.
struct Command {
  struct Arg {
    std::vector<std::string> words;  // an option with its value, or one input
    bool source = false;             // an input compiled by this command
    bool input = false;
  };
  std::vector<Arg> args;
  bool links = true;
};

Command parse(int argc, char** argv) {
  Command c;
  bool explicit_language = false;  // after "-x LANG" every input is a source
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    Command::Arg arg{{a}};
    if (a == "-c" || a == "-S" || a == "-E" || a == "-M" || a == "-MM" || a == "-fsyntax-only")
      c.links = false;
    if (kTakesValue.count(a) && i + 1 < argc) {
      arg.words.push_back(argv[++i]);
      if (a == "-x") explicit_language = arg.words[1] != "none";
    } else if (starts_with(a, "-x") && a.size() > 2) {
      explicit_language = a != "-xnone";
    } else if (a == "-" || a[0] != '-') {
      arg.input = true;
      arg.source = a == "-" || explicit_language || is_source(a);
    }
    c.args.push_back(std::move(arg));
  }
  return c;
}

// -fsanitize=thread out of a -fsanitize list; "" when nothing is left.
std::string without_thread(const std::string& option) {
  static const std::string prefix = "-fsanitize=";
  if (!starts_with(option, prefix)) return option;
  std::string kept;
  std::string list = option.substr(prefix.size()) + ",";
  for (size_t start = 0, comma; (comma = list.find(',', start)) != std::string::npos; start = comma + 1) {
    std::string item = list.substr(start, comma - start);
    if (item != "thread" && !item.empty()) kept += (kept.empty() ? "" : ",") + item;
  }
  return kept.empty() ? "" : prefix + kept;
}

Args link_flags(const std::string& lib_dir, bool gcc) {
  Args flags;
  if (!gcc) flags.push_back("-fno-sanitize-link-runtime");
  flags.insert(flags.end(), {"-L" + lib_dir, "-Wl,-rpath," + lib_dir, "-lconcrt", "-pthread"});
  return flags;
}

int run(const Args& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "conc-cc: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0) return 127;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

[[noreturn]] void exec(const Args& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  std::fprintf(stderr, "conc-cc: cannot run %s: %s\n", argv[0], strerror(errno));
  std::exit(127);
}

// gcc, compile and link in one command: each source to a temporary object
// (with -fsanitize=thread), then a link of the objects (without it).
int split_for_gcc(const Compiler& cc, const Command& c, const std::string& lib_dir) {
  Args compile_options;
  for (const Command::Arg& a : c.args) {
    const std::string& first = a.words[0];
    if (a.input || first == "-o" || link_only(first) || dependency_option(first)) continue;
    compile_options.insert(compile_options.end(), a.words.begin(), a.words.end());
  }
  std::vector<std::string> objects;
  auto cleanup = [&] {
    for (const std::string& o : objects) unlink(o.c_str());
  };
  Args link{cc.path};
  for (const Command::Arg& a : c.args) {
    if (!a.source) {
      if (starts_with(a.words[0], "-x")) continue;  // the objects are not sources
      std::string option = without_thread(a.words[0]);
      if (option.empty()) continue;
      link.push_back(option);
      link.insert(link.end(), a.words.begin() + 1, a.words.end());
      continue;
    }
    const char* tmp = getenv("TMPDIR");
    std::string object = std::string(tmp && *tmp ? tmp : "/tmp") + "/conc-cc-XXXXXX.o";
    int fd = mkstemps(object.data(), 2);
    if (fd < 0) {
      std::perror("conc-cc: temporary object");
      cleanup();
      return 1;
    }
    close(fd);
    objects.push_back(object);
    Args compile{cc.path, "-fsanitize=thread", "-g"};
    compile.insert(compile.end(), compile_options.begin(), compile_options.end());
    compile.insert(compile.end(), {"-c", a.words[0], "-o", object});
    if (int rc = run(compile); rc != 0) {
      cleanup();
      return rc;
    }
    link.push_back(object);
  }
  Args flags = link_flags(lib_dir, true);
  link.insert(link.end(), flags.begin(), flags.end());
  int rc = run(link);
  cleanup();
  return rc;
}

}  // namespace

// conc-cc's own flags. --help and --version belong to the compiler (build
// systems ask it for its version), so the wrapper's are prefixed.
constexpr const char* kUsage =
    "usage: %s [COMPILER OPTIONS] FILES...\n"
    "Compiles and links like the compiler it wraps, for libconcrt: compiles get\n"
    "-fsanitize=thread -g, links get libconcrt instead of ThreadSanitizer's runtime.\n"
    "Every other option goes to the compiler unchanged (--help and --version too).\n"
    "  --conc-help        this text\n"
    "  --conc-version     conc's version and the compiler used\n"
    "Environment:\n"
    "  CONC_COMPILER      the compiler: clang (default, %s), gcc, or a compiler path\n"
    "  TMPDIR             where the gcc route's split compiles put their objects (default /tmp)\n";

int main(int argc, char** argv) {
  bool cxx = base_name(argv[0]).find("++") != std::string::npos;
  Compiler cc = choose_compiler(cxx);
  if (argc == 2 && std::string_view(argv[1]) == "--conc-help") {
    std::printf(kUsage, base_name(argv[0]).c_str(), cxx ? CONC_DEFAULT_CXX : CONC_DEFAULT_CC);
    return 0;
  }
  if (argc == 2 && std::string_view(argv[1]) == "--conc-version") {
    std::printf("%s %s (compiler: %s)\n", base_name(argv[0]).c_str(), CONC_VERSION, cc.path.c_str());
    return 0;
  }
  Command c = parse(argc, argv);
  std::string lib_dir = conc::tools::runtime_lib_dir();
  bool has_sources = false;
  for (const Command::Arg& a : c.args) has_sources |= a.source;

  if (cc.gcc && c.links && has_sources) return split_for_gcc(cc, c, lib_dir);

  Args args{cc.path};
  if (!c.links || has_sources) args.insert(args.end(), {"-fsanitize=thread", "-g"});
  for (const Command::Arg& a : c.args) {
    std::string first = cc.gcc && c.links ? without_thread(a.words[0]) : a.words[0];
    if (first.empty()) continue;
    args.push_back(first);
    args.insert(args.end(), a.words.begin() + 1, a.words.end());
  }
  if (c.links) {
    Args flags = link_flags(lib_dir, cc.gcc);
    args.insert(args.end(), flags.begin(), flags.end());
  }
  exec(args);
}
