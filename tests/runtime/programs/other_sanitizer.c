// Built twice by the test: with -DASAN_PART as one object compiled for
// AddressSanitizer (as a prebuilt library might be), and as the main program
// under conc. The runtime says once that two sanitizers compete, and the
// program still runs.
#include <stdio.h>

int asan_checked_sum(const int* values, int count);

#ifdef ASAN_PART
int asan_checked_sum(const int* values, int count) {
  int sum = 0;
  for (int i = 0; i < count; ++i) sum += values[i];
  return sum;
}
#else
int main(void) {
  int values[3] = {1, 2, 3};
  printf("sum %d\n", asan_checked_sum(values, 3));
  return 0;
}
#endif
