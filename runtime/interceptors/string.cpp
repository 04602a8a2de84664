// mem* and str* functions as range accesses: GCC leaves memcpy/memset calls
// to libc, and libraries call them too. clang 16 may call __tsan_memcpy/
// memmove/memset instead; those share the code here.
//
// The interceptors are defined under private C++ names with the libc symbol
// as assembler name: <cstring>'s C++ overloads (const/non-const strchr) and
// builtin declarations would otherwise clash with definitions of the same
// names.
#include <cstring>

#include "interceptors/interceptor.h"

namespace conc::rt {
namespace {

CONC_REAL(memcpy);
CONC_REAL(memmove);
CONC_REAL(memset);
CONC_REAL(memcmp);
CONC_REAL(strlen);
CONC_REAL(strcpy);
CONC_REAL(strncpy);
CONC_REAL(strcat);
CONC_REAL(strcmp);
CONC_REAL(strncmp);
const Real<char*(const char*, int)> real_strchr("strchr");

void* copy(void* dst, const void* src, size_t n, engine::Pc pc, const CONC_REAL_TYPE(memcpy) & real) {
  record_range(src, n, false, pc);
  record_range(dst, n, true, pc);
  return real(dst, src, n);
}

void* fill(void* dst, int c, size_t n, engine::Pc pc) {
  record_range(dst, n, true, pc);
  return real_memset(dst, c, n);
}

// Bytes strcmp/strncmp look at: up to and including the first difference or
// terminator, at most `limit`.
size_t compared_length(const char* a, const char* b, size_t limit) {
  size_t i = 0;
  while (i < limit && a[i] == b[i] && a[i] != '\0') ++i;
  return i < limit ? i + 1 : limit;
}

}  // namespace
}  // namespace conc::rt

using namespace conc::rt;

#define CONC_LIBC(name) __asm__(#name)

CONC_EXPORT void* conc_memcpy(void* dst, const void* src, size_t n) CONC_LIBC(memcpy);
CONC_EXPORT void* conc_memmove(void* dst, const void* src, size_t n) CONC_LIBC(memmove);
CONC_EXPORT void* conc_memset(void* dst, int c, size_t n) CONC_LIBC(memset);
CONC_EXPORT int conc_memcmp(const void* a, const void* b, size_t n) CONC_LIBC(memcmp);
CONC_EXPORT size_t conc_strlen(const char* s) CONC_LIBC(strlen);
CONC_EXPORT char* conc_strcpy(char* dst, const char* src) CONC_LIBC(strcpy);
CONC_EXPORT char* conc_strncpy(char* dst, const char* src, size_t n) CONC_LIBC(strncpy);
CONC_EXPORT char* conc_strcat(char* dst, const char* src) CONC_LIBC(strcat);
CONC_EXPORT int conc_strcmp(const char* a, const char* b) CONC_LIBC(strcmp);
CONC_EXPORT int conc_strncmp(const char* a, const char* b, size_t n) CONC_LIBC(strncmp);
CONC_EXPORT char* conc_strchr(const char* s, int c) CONC_LIBC(strchr);

void* conc_memcpy(void* dst, const void* src, size_t n) {
  return copy(dst, src, n, CONC_CALLER_PC, real_memcpy);
}
void* conc_memmove(void* dst, const void* src, size_t n) {
  return copy(dst, src, n, CONC_CALLER_PC, real_memmove);
}
void* conc_memset(void* dst, int c, size_t n) { return fill(dst, c, n, CONC_CALLER_PC); }

CONC_EXPORT void* __tsan_memcpy(void* dst, const void* src, unsigned long n) {
  return copy(dst, src, n, CONC_CALLER_PC, real_memcpy);
}
CONC_EXPORT void* __tsan_memmove(void* dst, const void* src, unsigned long n) {
  return copy(dst, src, n, CONC_CALLER_PC, real_memmove);
}
CONC_EXPORT void* __tsan_memset(void* dst, int c, unsigned long n) { return fill(dst, c, n, CONC_CALLER_PC); }

int conc_memcmp(const void* a, const void* b, size_t n) {
  record_range(a, n, false, CONC_CALLER_PC);
  record_range(b, n, false, CONC_CALLER_PC);
  return real_memcmp(a, b, n);
}

size_t conc_strlen(const char* s) {
  size_t n = real_strlen(s);
  record_range(s, n + 1, false, CONC_CALLER_PC);
  return n;
}

char* conc_strcpy(char* dst, const char* src) {
  size_t n = real_strlen(src) + 1;
  record_range(src, n, false, CONC_CALLER_PC);
  record_range(dst, n, true, CONC_CALLER_PC);
  return real_strcpy(dst, src);
}

char* conc_strncpy(char* dst, const char* src, size_t n) {
  size_t len = strnlen(src, n);
  record_range(src, len < n ? len + 1 : n, false, CONC_CALLER_PC);
  record_range(dst, n, true, CONC_CALLER_PC);  // strncpy pads the rest with zeros
  return real_strncpy(dst, src, n);
}

char* conc_strcat(char* dst, const char* src) {
  size_t dst_len = real_strlen(dst);
  size_t src_len = real_strlen(src);
  record_range(dst, dst_len + 1, false, CONC_CALLER_PC);
  record_range(src, src_len + 1, false, CONC_CALLER_PC);
  record_range(dst + dst_len, src_len + 1, true, CONC_CALLER_PC);
  return real_strcat(dst, src);
}

int conc_strcmp(const char* a, const char* b) {
  size_t n = compared_length(a, b, SIZE_MAX);
  record_range(a, n, false, CONC_CALLER_PC);
  record_range(b, n, false, CONC_CALLER_PC);
  return real_strcmp(a, b);
}

int conc_strncmp(const char* a, const char* b, size_t limit) {
  size_t n = compared_length(a, b, limit);
  record_range(a, n, false, CONC_CALLER_PC);
  record_range(b, n, false, CONC_CALLER_PC);
  return real_strncmp(a, b, limit);
}

char* conc_strchr(const char* s, int c) {
  char* found = real_strchr(s, c);
  size_t n = found ? static_cast<size_t>(found - s) + 1 : real_strlen(s) + 1;
  record_range(s, n, false, CONC_CALLER_PC);
  return found;
}
