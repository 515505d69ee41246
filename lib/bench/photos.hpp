#pragma once
// The photos benchmarks are run on: JPEG photos found in a folder (`../shared/data/train` by default)
// and resized to the size a benchmark needs, e.g. the 4000x3000 images of `tiny bench load` and
// `tiny bench tiles`.
#include "image/image.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

// The first `count` JPEG photos under `folder` (recursively, in path order); throws tiny::Error naming
// the folder and the benchmark (`who`) if it has fewer.
std::vector<std::string> find_photos(const std::string& folder, size_t count, const std::string& who);
// The photo at `path` resized (bicubic) to exactly width x height.
image::Image resized_photo(const std::string& path, int width, int height);

}  // namespace tiny::bench
