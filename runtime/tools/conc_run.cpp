// conc-run: runs a program under libconcrt with options given as flags
// instead of a hand-written CONC_OPTIONS. Flags are appended to any
// CONC_OPTIONS already set, so they win over it.
#include <elf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "abi/options.h"
#include "tools/tool_paths.h"

namespace {

// The usage text: one line per option of libconcrt's table, then conc-run's own flags.
std::string usage() {
  std::string text =
      "usage: conc-run [options] [--] PROGRAM [ARGS...]\n"
      "Runs PROGRAM (built with conc-cc/conc-c++) with these libconcrt options:\n";
  for (const conc::rt::OptionInfo& o : conc::rt::option_table()) {
    std::string flag = "  " + std::string(o.flag) + (o.value.empty() ? "[=0|1]" : "=" + std::string(o.value));
    flag.resize(std::max<size_t>(flag.size() + 1, 32), ' ');
    text += flag + std::string(o.help) + "\n";
  }
  return text +
         "  --preload                     LD_PRELOAD libconcrt (for programs not linked with it;\n"
         "                                only locks and threads are seen without instrumentation)\n"
         "  --help, -h                    this text\n"
         "  --version                     conc's version\n"
         "Flags are appended to CONC_OPTIONS from the environment, so they override it.\n";
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "conc-run: %s\n%s", message.c_str(), usage().c_str());
  return 2;
}

// The file execvp would run for `program`.
std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    std::string_view dir = dirs.substr(0, dirs.find(':'));
    dirs.remove_prefix(std::min(dirs.size(), dir.size() + 1));
    std::string candidate = (dir.empty() ? "." : std::string(dir)) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return program;
}

template <typename T>
bool read_at(std::ifstream& file, uint64_t offset, T& value) {
  file.seekg(static_cast<std::streamoff>(offset));
  return static_cast<bool>(file.read(reinterpret_cast<char*>(&value), sizeof value));
}

// Whether the ELF executable at `path` names libconcrt among the libraries
// it needs; nullopt when that cannot be told (not a readable 64-bit ELF file,
// e.g. a script).
std::optional<bool> links_runtime(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  Elf64_Ehdr header;
  if (!read_at(file, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
      header.e_ident[EI_CLASS] != ELFCLASS64)
    return std::nullopt;
  auto section = [&](unsigned index, Elf64_Shdr& out) {
    return read_at(file, header.e_shoff + uint64_t{index} * header.e_shentsize, out);
  };
  for (unsigned i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr dynamic, strings;
    if (!section(i, dynamic)) return std::nullopt;
    if (dynamic.sh_type != SHT_DYNAMIC) continue;
    if (!section(dynamic.sh_link, strings)) return std::nullopt;
    for (uint64_t at = dynamic.sh_offset; at + sizeof(Elf64_Dyn) <= dynamic.sh_offset + dynamic.sh_size;
         at += sizeof(Elf64_Dyn)) {
      Elf64_Dyn entry;
      if (!read_at(file, at, entry) || entry.d_tag == DT_NULL) break;
      if (entry.d_tag != DT_NEEDED) continue;
      std::string name;
      file.seekg(static_cast<std::streamoff>(strings.sh_offset + entry.d_un.d_val));
      std::getline(file, name, '\0');
      if (name.starts_with("libconcrt.so")) return true;
    }
    return false;
  }
  return false;  // statically linked: libconcrt cannot be in it
}

}  // namespace

int main(int argc, char** argv) {
  const char* existing = getenv("CONC_OPTIONS");
  std::string options = existing ? existing : "";
  bool preload = false;
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--version") {
      std::printf("conc-run %s\n", CONC_VERSION);
      return 0;
    }
    if (a == "--help" || a == "-h") {
      std::fputs(usage().c_str(), stdout);
      return 0;
    }
    if (a == "--preload") {
      preload = true;
      continue;
    }
    if (!a.starts_with("-")) break;
    std::string_view name = a.substr(0, a.find('='));
    const auto table = conc::rt::option_table();
    const auto flag = std::find_if(table.begin(), table.end(),
                                   [&](const conc::rt::OptionInfo& o) { return o.flag == name; });
    if (flag == table.end()) return usage_error("unknown flag '" + std::string(a) + "'");
    // A switch alone turns its option on; "=0" turns it off. Other options
    // take a value after '=' or as the next argument.
    std::string value = "1";
    if (a.find('=') != std::string_view::npos)
      value = a.substr(a.find('=') + 1);
    else if (!flag->value.empty() && i + 1 < argc)
      value = argv[++i];
    else if (!flag->value.empty())
      return usage_error(std::string(name) + " needs a value");
    options += (options.empty() ? "" : ":") + std::string(flag->key) + "=" + value;
  }
  if (i >= argc) return usage_error("no program given");
  conc::rt::ParsedOptions parsed = conc::rt::parse_options(options);
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "%s\n", parsed.error.c_str());
    return 2;
  }
  setenv("CONC_OPTIONS", options.c_str(), 1);
  if (!preload && links_runtime(find_program(argv[i])) == false)
    std::fprintf(stderr,
                 "conc-run: %s is not linked with libconcrt, so nothing is watched; build it with "
                 "conc-cc/conc-c++ or add --preload\n",
                 argv[i]);
  if (preload) {
    const char* old = getenv("LD_PRELOAD");
    std::string lib = conc::tools::runtime_lib_dir() + "/libconcrt.so";
    setenv("LD_PRELOAD", (old && *old ? lib + ":" + old : lib).c_str(), 1);
  }
  execvp(argv[i], argv + i);
  std::fprintf(stderr, "conc-run: cannot run %s: %s\n", argv[i], strerror(errno));
  return 127;
}
