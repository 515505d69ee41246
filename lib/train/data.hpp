#pragma once
// Training data: the image files of the sources split into training and validation, and a patch
// loader that decodes batches of random patches on its own threads ahead of the training loop.
// The batch of step s depends only on (seed, s), so runs are reproducible and resumable whatever
// the thread count. Unreadable images are skipped, counted and reported once each.
#include "train/config.hpp"

#include <torch/torch.h>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tiny::train {

struct DataSplit {
  std::vector<std::string> train, val;
};

// Lists the configured sources and holds out the validation images (data.val, else a seeded
// data.val_fraction of train); throws Error if there is no training image.
DataSplit split_data(const DataSection& data, uint64_t seed);

// Decodes [B, 3, P, P] float batches in [0, 1] on loader threads, `prefetch` batches ahead.
class PatchLoader {
public:
  // Starts the loader threads; the first batch returned is that of step `first_step`. With world > 1
  // it returns share `rank` of each batch (batch_size / world patches; the shares of all ranks make up
  // the batch a single process gets).
  PatchLoader(std::vector<std::string> files, const DataSection& data, uint64_t seed, int64_t first_step,
              int rank = 0, int world = 1);
  ~PatchLoader();
  PatchLoader(const PatchLoader&) = delete;
  PatchLoader& operator=(const PatchLoader&) = delete;
  // The next step's batch; blocks until it is decoded (the blocked time adds to wait_seconds()).
  torch::Tensor next();
  // Seconds the caller spent blocked in next().
  double wait_seconds() const { return wait_seconds_; }
  // Number of distinct files found unreadable so far.
  size_t skipped() const;

private:
  void worker();
  void fill(int64_t step, float* out);
  bool load_patch(size_t file, uint64_t draw, float* out);
  void build_cache();

  std::vector<std::string> files_;
  DataSection data_;
  uint64_t seed_;
  int first_patch_, patches_;   // this rank's share of each batch
  std::vector<uint8_t> cache_;  // cache mode: file x cache_patches x 3 x P x P bytes
  std::vector<char> cached_;    // cache mode: whether file i decoded
  mutable std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::map<int64_t, torch::Tensor> done_;
  std::map<int64_t, std::exception_ptr> failed_;
  std::set<size_t> bad_;
  int64_t next_claim_, next_take_;
  bool stop_ = false;
  double wait_seconds_ = 0;
  std::vector<std::thread> threads_;
};

// Loads the validation images as centre crops [n, 3, P, P] in [0, 1], skipping unreadable ones
// (counted in `skipped`).
torch::Tensor load_validation(const std::vector<std::string>& files, int patch_size, size_t& skipped);

}  // namespace tiny::train
