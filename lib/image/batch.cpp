#include "image/batch.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <algorithm>

namespace tiny::image {

size_t BatchResult::failed() const {
  return static_cast<size_t>(std::count_if(files.begin(), files.end(), [](const FileResult& f) { return !f.ok; }));
}

BatchResult load_batch(const std::vector<std::string>& paths, const LoadSpec& spec, bool stop_on_error) {
  validate(spec);
  BatchResult batch;
  fixed_output_size(spec, batch.width, batch.height);
  if (batch.width == 0)
    throw UsageError("load: a batch needs a fixed output size (a crop or an exact resize)");
  batch.count = static_cast<int>(paths.size());
  size_t slice = 3 * static_cast<size_t>(batch.width) * batch.height;
  batch.data.resize(slice * paths.size());
  batch.files.resize(paths.size());
  parallel_for(0, paths.size(), [&](size_t i) {
    LoadSpec own = spec;
    own.seed = spec.seed * 0x9E3779B97F4A7C15ull + i;
    FileResult& result = batch.files[i];
    try {
      result.truncated = load_tensor(paths[i], own, batch.data.data() + i * slice).truncated;
      result.ok = true;
    } catch (const std::exception& e) {
      if (stop_on_error) throw;
      std::fill_n(batch.data.data() + i * slice, slice, 0.0f);
      result.error = dynamic_cast<const Error*>(&e) ? e.what() : file_error(paths[i], e.what());
    }
  });
  return batch;
}

}  // namespace tiny::image
