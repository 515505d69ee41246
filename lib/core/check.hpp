#pragma once
// Invariants of tiny's own code, checked in debug builds: TINY_DCHECK(condition) prints the file, line
// and condition on stderr and aborts when the condition is false. Enabled where TINY_DCHECKS is 1
// (debug builds, i.e. without NDEBUG, and the tests' debug builds of the entropy and codec modules);
// elsewhere it compiles to nothing and its condition is not evaluated. Bad input is never a DCHECK:
// it throws tiny::Error with a message naming the file (core/error.hpp).
#include <cstdio>
#include <cstdlib>

#ifndef TINY_DCHECKS
#ifdef NDEBUG
#define TINY_DCHECKS 0
#else
#define TINY_DCHECKS 1
#endif
#endif

#if TINY_DCHECKS
#define TINY_DCHECK(condition)                                                                             \
  do {                                                                                                     \
    if (!(condition)) {                                                                                    \
      std::fprintf(stderr, "tiny: internal check failed at %s:%d: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                                        \
    }                                                                                                      \
  } while (0)
#else
#define TINY_DCHECK(condition) \
  do {                         \
  } while (0)
#endif
