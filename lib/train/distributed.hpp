#pragma once
// Data-parallel training over libtorch's c10d process groups (Gloo, on the CPU), launched like
// torchrun: every process gets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT (LOCAL_RANK is read
// but only names the process); rank 0 hosts the rendezvous store on MASTER_ADDR:MASTER_PORT.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace tiny::train {

struct DistributedEnv {
  int rank = 0, world_size = 1, local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
};

// Reads the launcher's environment (world size 1 when WORLD_SIZE is unset); throws UsageError on
// a malformed or inconsistent value, naming the variable.
DistributedEnv distributed_env();

// A Gloo process group of all ranks.
class ProcessGroup {
public:
  // Connects to the other ranks (rank 0 waits for all of them); throws Error on failure.
  explicit ProcessGroup(const DistributedEnv& env);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;
  // Replaces each tensor by its mean over the ranks (CPU tensors).
  void average(std::vector<torch::Tensor>& tensors);
  // Replaces each tensor by rank 0's value.
  void broadcast(std::vector<torch::Tensor>& tensors);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tiny::train
