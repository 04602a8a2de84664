// Exercises every kind of access the compilers instrument in C: all atomic
// widths and operations (C11, __atomic and __sync builtins, 128-bit),
// fences, odd-sized, packed and volatile accesses, struct copies. Checks the
// results so a wrong atomic shows up as a non-zero exit.
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct __attribute__((packed)) Packed {
  char c;
  int32_t i;
  int64_t l;
};

struct Odd {
  char bytes[3];
};

struct Big {
  char bytes[40];
};

static struct Packed packed;
static struct Odd odd_a, odd_b;
static struct Big big_a, big_b;
static volatile int vol;
static _Atomic int counter;

#define CHECK(cond)                                         \
  do {                                                      \
    if (!(cond)) {                                          \
      fprintf(stderr, "check failed at line %d\n", __LINE__); \
      return 1;                                             \
    }                                                       \
  } while (0)

#define EXERCISE(T)                                                                          \
  do {                                                                                       \
    static T x;                                                                              \
    T expected = 0;                                                                          \
    __atomic_store_n(&x, (T)5, __ATOMIC_RELEASE);                                            \
    CHECK(__atomic_load_n(&x, __ATOMIC_ACQUIRE) == 5);                                       \
    CHECK(__atomic_exchange_n(&x, (T)6, __ATOMIC_ACQ_REL) == 5);                             \
    CHECK(__atomic_fetch_add(&x, 2, __ATOMIC_SEQ_CST) == 6);                                 \
    CHECK(__atomic_fetch_sub(&x, 1, __ATOMIC_RELAXED) == 8);                                 \
    CHECK(__atomic_fetch_and(&x, 3, __ATOMIC_SEQ_CST) == 7);                                 \
    CHECK(__atomic_fetch_or(&x, 8, __ATOMIC_SEQ_CST) == 3);                                  \
    CHECK(__atomic_fetch_xor(&x, 1, __ATOMIC_SEQ_CST) == 11);                                \
    CHECK(__atomic_fetch_nand(&x, 0, __ATOMIC_SEQ_CST) == 10);                               \
    CHECK(__atomic_load_n(&x, __ATOMIC_SEQ_CST) == (T)~(T)0);                                \
    expected = 1;                                                                            \
    CHECK(!__atomic_compare_exchange_n(&x, &expected, (T)2, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)); \
    CHECK(expected == (T)~(T)0);                                                             \
    CHECK(__atomic_compare_exchange_n(&x, &expected, (T)2, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)); \
    CHECK(__sync_val_compare_and_swap(&x, (T)2, (T)3) == 2);                                 \
    CHECK(__sync_bool_compare_and_swap(&x, (T)3, (T)4));                                     \
    CHECK(__sync_fetch_and_add(&x, 1) == 4);                                                 \
    CHECK(__sync_lock_test_and_set(&x, (T)9) == 5);                                          \
    __sync_lock_release(&x);                                                                 \
    CHECK(x == 0);                                                                           \
  } while (0)

static void *worker(void *arg) {
  (void)arg;
  atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed);
  return NULL;
}

int main(void) {
  EXERCISE(uint8_t);
  EXERCISE(uint16_t);
  EXERCISE(uint32_t);
  EXERCISE(uint64_t);
  EXERCISE(unsigned __int128);
  atomic_thread_fence(memory_order_seq_cst);
  atomic_signal_fence(memory_order_seq_cst);

  packed.i = 1;
  packed.l = 2;
  odd_a.bytes[0] = 'x';
  odd_b = odd_a;
  memset(&big_a, 1, sizeof big_a);
  big_b = big_a;
  vol = 3;
  CHECK(packed.i + packed.l == 3 && odd_b.bytes[0] == 'x' && big_b.bytes[39] == 1 && vol == 3);

  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  CHECK(atomic_load(&counter) == 2);
  puts("ok");
  return 0;
}
