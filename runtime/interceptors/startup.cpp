// __libc_start_main: wraps main so the runtime can look at the program once
// its constructors ran (every instrumented module calls __tsan_init from one)
// and say clearly when detection cannot work as the user expects.
#include <dlfcn.h>
#include <unistd.h>

#include <string>

#include "interceptors/interceptor.h"
#include "reports/output.h"

namespace conc::rt {
namespace {

using MainFn = int (*)(int, char**, char**);
const Real<int(MainFn, int, char**, void (*)(), void (*)(), void (*)(), void*)> real_libc_start_main(
    "__libc_start_main");
MainFn g_main = nullptr;

void check_program() {
  if (!instrumented())
    write_all(STDERR_FILENO,
              "conc: this program was not compiled with -fsanitize=thread; data races cannot be seen "
              "(locks and threads still are)\n");
  static const struct {
    const char* symbol;
    const char* name;
  } others[] = {{"__asan_init", "AddressSanitizer"},
                {"__msan_init", "MemorySanitizer"},
                {"__hwasan_init", "HWAddressSanitizer"},
                // TSan's own debugging API, which libconcrt does not define: a
                // link with -fsanitize=thread added libtsan or clang's runtime.
                {"__tsan_get_current_report", "ThreadSanitizer's own runtime"}};
  for (const auto& other : others)
    if (dlsym(RTLD_DEFAULT, other.symbol))
      write_all(STDERR_FILENO, std::string("conc: this program also carries ") + other.name + " (" +
                                   other.symbol +
                                   " is present); its runtime competes with conc's for the "
                                   "same interceptors, so reports may be missing or wrong\n");
}

int main_wrapper(int argc, char** argv, char** envp) {
  {
    RuntimeScope scope;
    check_program();
  }
  return g_main(argc, argv, envp);
}

}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

CONC_EXPORT int __libc_start_main(MainFn main, int argc, char** argv, void (*init)(), void (*fini)(),
                                  void (*rtld_fini)(), void* stack_end) {
  g_main = main;
  return real_libc_start_main(main_wrapper, argc, argv, init, fini, rtld_fini, stack_end);
}
