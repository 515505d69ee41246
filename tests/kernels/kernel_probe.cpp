// Prints the digest of the probe network's output for one build of the kernels: `kernel_probe THREADS`.
#include "core/threads.hpp"
#include "kernel_probe_net.hpp"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  tiny::set_thread_count(argc > 1 ? std::atoi(argv[1]) : 0);
  tiny::kernels::FixedOrderNet net(tiny::test::probe_layers());
  std::printf("%s\n", tiny::test::digest(net.forward(tiny::test::probe_input(37, 29))).c_str());
  return 0;
}
