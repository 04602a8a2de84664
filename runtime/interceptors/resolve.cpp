// Lookup of the real (next) definitions of intercepted functions.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "interceptors/interceptor.h"

namespace conc::rt {

void* resolve_next(const char* name) {
  void* f = dlsym(RTLD_NEXT, name);
  if (f) return f;
  // No allocation here: this can run while the allocator is being set up.
  static const char prefix[] = "conc: fatal: cannot find the real ";
  ssize_t ignored = write(STDERR_FILENO, prefix, sizeof prefix - 1);
  ignored = write(STDERR_FILENO, name, strlen(name));
  ignored = write(STDERR_FILENO, "\n", 1);
  (void)ignored;
  abort();
}

}  // namespace conc::rt
