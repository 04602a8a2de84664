// Where the conc tools find libconcrt: <dir of the running tool>/../lib, so
// the same binaries work in the build tree and after installation.
#pragma once

#include <string>

namespace conc::tools {

// The directory holding the running executable (symlinks resolved).
std::string self_dir();
// <self_dir>/../lib, normalized.
std::string runtime_lib_dir();

}  // namespace conc::tools
