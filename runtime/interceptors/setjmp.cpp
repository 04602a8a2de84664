// setjmp/longjmp: a longjmp leaves instrumented frames without running their
// __tsan_func_exit, so without help the shadow call stack keeps them and
// every later report of the thread shows them (the stack stays bounded, but
// wrong). Each setjmp records the shadow stack's depth; a longjmp to it cuts
// the shadow stack back to that depth.
//
// setjmp cannot be wrapped by a C function: it returns a second time into a
// frame that must still exist, so the interceptor must leave no frame of its
// own. The x86-64 trampolines below (as ThreadSanitizer's
// tsan_rtl_amd64.S) save the arguments, call setjmp_hook with the caller's
// stack pointer, and tail-jump to libc's setjmp, which then sees the
// program's own return address and stack. glibc exports no sigsetjmp (the
// header's sigsetjmp is __sigsetjmp), so three functions are intercepted.
//
// A longjmp finds its setjmp by the jmp_buf's address (glibc mangles the
// stack pointer stored in it). A thread keeps kMaxJumpTargets live targets:
// a setjmp in a frame below the caller's (lower stack pointer) has returned
// and is dropped; past the limit the oldest target is. A longjmp to a
// target not known (copied jmp_buf, dropped target, setjmp before the thread
// was recorded) leaves the shadow stack as it is.
#include <setjmp.h>

#include <cstdint>
#include <cstring>

#include "interceptors/interceptor.h"

#if !defined(__x86_64__)
#error "the setjmp trampolines are written for x86-64"
#endif

namespace conc::rt {
namespace {

// A setjmp a longjmp may still return to.
struct JumpTarget {
  const void* env;
  uintptr_t frame_sp;  // the stack pointer of setjmp's caller
  unsigned stack_depth;
};

constexpr unsigned kMaxJumpTargets = 64;

struct JumpTargets {
  JumpTarget targets[kMaxJumpTargets];
  unsigned count;

  // Drops targets in frames that returned: those below `sp`.
  void drop_below(uintptr_t sp) {
    unsigned kept = 0;
    for (unsigned i = 0; i < count; ++i)
      if (targets[i].frame_sp >= sp) targets[kept++] = targets[i];
    count = kept;
  }
  void add(const JumpTarget& target) {
    for (unsigned i = 0; i < count; ++i)
      if (targets[i].env == target.env) {
        targets[i] = target;
        return;
      }
    if (count == kMaxJumpTargets) {
      std::memmove(&targets[0], &targets[1], sizeof targets[0] * (kMaxJumpTargets - 1));
      --count;
    }
    targets[count++] = target;
  }
  const JumpTarget* find(const void* env) const {
    for (unsigned i = count; i > 0; --i)
      if (targets[i - 1].env == env) return &targets[i - 1];
    return nullptr;
  }
};

__thread JumpTargets t_jump_targets __attribute__((tls_model("initial-exec")));

// Only the addresses matter: the trampolines jump to them with the
// program's own arguments.
const Real<void()> real_setjmp_functions[] = {Real<void()>("setjmp"), Real<void()>("_setjmp"),
                                              Real<void()>("__sigsetjmp")};

// Every longjmp flavour: cut the shadow stack back to the setjmp's depth.
void before_longjmp(const void* env) {
  engine::ThreadState* t = tls.state;
  if (!t) return;
  JumpTargets& jumps = t_jump_targets;
  const JumpTarget* target = jumps.find(env);
  if (!target) return;
  {
    AccessScope scope;  // the unwind is traced, and a new trace part copies with memcpy
    g_engine->stack_unwind(t, target->stack_depth);
  }
  jumps.drop_below(target->frame_sp);
}

}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

// Called by the trampolines: records the target and returns libc's function.
extern "C" __attribute__((visibility("hidden"), used)) void* conc_setjmp_hook(const void* env,
                                                                              uintptr_t caller_sp,
                                                                              unsigned which) {
  RuntimeScope scope;  // keeps errno: dlsym may set it
  if (engine::ThreadState* t = tls.state) {
    JumpTargets& jumps = t_jump_targets;
    jumps.drop_below(caller_sp);
    jumps.add({env, caller_sp, g_engine->stack_depth(t)});
  }
  return reinterpret_cast<void*>(real_setjmp_functions[which].get());
}

// Stack at entry: the return address at (%rsp), so the caller's stack
// pointer is %rsp + 8. Two pushes and the 8-byte pad keep the call aligned.
asm(R"(
  .text
  .macro CONC_SETJMP_TRAMPOLINE name, which
  .globl \name
  .type \name, @function
  .p2align 4
\name:
  .cfi_startproc
  endbr64
  push %rdi
  .cfi_adjust_cfa_offset 8
  push %rsi
  .cfi_adjust_cfa_offset 8
  sub $8, %rsp
  .cfi_adjust_cfa_offset 8
  lea 32(%rsp), %rsi
  mov $\which, %edx
  call conc_setjmp_hook
  add $8, %rsp
  .cfi_adjust_cfa_offset -8
  pop %rsi
  .cfi_adjust_cfa_offset -8
  pop %rdi
  .cfi_adjust_cfa_offset -8
  jmp *%rax
  .cfi_endproc
  .size \name, .-\name
  .endm
  CONC_SETJMP_TRAMPOLINE setjmp, 0
  CONC_SETJMP_TRAMPOLINE _setjmp, 1
  CONC_SETJMP_TRAMPOLINE __sigsetjmp, 2
  .purgem CONC_SETJMP_TRAMPOLINE
)");

namespace {
// glibc: longjmp, _longjmp and siglongjmp are one function; __longjmp_chk is
// what _FORTIFY_SOURCE turns them into.
using RealJump = Real<void(__jmp_buf_tag*, int)>;
CONC_REAL(longjmp);
CONC_REAL(_longjmp);
CONC_REAL(siglongjmp);
const RealJump real_longjmp_chk("__longjmp_chk");

[[noreturn]] void jump(const RealJump& real, __jmp_buf_tag* env, int value) {
  before_longjmp(env);
  real(env, value);
  __builtin_unreachable();
}
}  // namespace

CONC_EXPORT void longjmp(jmp_buf env, int value) noexcept { jump(real_longjmp, env, value); }
CONC_EXPORT void _longjmp(jmp_buf env, int value) noexcept { jump(real__longjmp, env, value); }
CONC_EXPORT void siglongjmp(sigjmp_buf env, int value) noexcept { jump(real_siglongjmp, env, value); }
CONC_EXPORT void __longjmp_chk(jmp_buf env, int value) { jump(real_longjmp_chk, env, value); }
