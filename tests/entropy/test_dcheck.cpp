// TINY_DCHECK guards the rANS coder's invariants in debug builds (test_entropy_debug) and costs nothing
// in release builds (test_entropy): a state pushed out of range aborts the one and not the other.
#include "core/check.hpp"
#include "entropy/rans_core.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace tiny::entropy {

namespace {

// True if `body` aborts (SIGABRT) when run in a child process.
template <class Body>
bool aborts(Body body) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::freopen("/dev/null", "w", stderr);
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

}  // namespace

TEST_CASE("a rANS state out of range trips TINY_DCHECK exactly in debug builds") {
  using namespace detail;
  const bool bad_state_aborts = aborts([] {
    uint32_t words[4];
    uint32_t* out = words;
    uint64_t x = 1;  // below kRansL: no encoder ever holds this state
    put_bypass(x, 3, out);
  });
  CHECK(bad_state_aborts == bool(TINY_DCHECKS));
  const bool good_state_aborts = aborts([] {
    uint32_t words[4];
    uint32_t* out = words;
    uint64_t x = kRansL;
    put_bypass(x, 3, out);
  });
  CHECK_FALSE(good_state_aborts);
}

}  // namespace tiny::entropy
