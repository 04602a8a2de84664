// Locating the tools' own installation.
#include "tools/tool_paths.h"

#include <unistd.h>
#include <climits>
#include <cstdlib>

namespace conc::tools {

std::string self_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

std::string runtime_lib_dir() {
  std::string lib = self_dir() + "/../lib";
  char resolved[PATH_MAX];
  return realpath(lib.c_str(), resolved) ? std::string(resolved) : lib;
}

}  // namespace conc::tools
