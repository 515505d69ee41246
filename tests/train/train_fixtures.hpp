#pragma once
// Small generated training sets and configurations for the train tests.
#include "core/json_file.hpp"
#include "test_support.hpp"

#include <string>

namespace tiny::test {

// Writes `count` generated PNG images (96x80) into folder/ and returns the folder.
std::string make_image_folder(const TempDir& dir, const std::string& folder, int count);
// A tiny, fast training configuration (mbt2018-mean with N = M = 16, 64x64 patches, batch 2) on
// `data`, checkpointing into `checkpoint_dir`.
Json small_config(const std::string& data, const std::string& checkpoint_dir, int steps);

}  // namespace tiny::test
