#pragma once
// Loading many files in parallel into one contiguous [N, 3, H, W] float32 buffer.
#include "image/load.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tiny::image {

// An allocator that leaves new elements default-initialised (unset for floats), so that a batch
// buffer is first touched by the worker that fills each slice rather than zeroed by one thread.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) ::new (static_cast<void*>(p)) U;
    else ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

struct FileResult {
  bool ok = false;
  bool truncated = false;  // loaded from a truncated file as far as it decoded
  std::string error;       // the one-line error when !ok
};

struct BatchResult {
  int count = 0, height = 0, width = 0;
  std::vector<float, UninitializedAllocator<float>> data;  // count x 3 x height x width; a failed file's slice is zeros
  std::vector<FileResult> files;  // one per path, in order

  // Number of files that failed.
  size_t failed() const;
};

// Loads `paths` on tiny's thread pool, each worker writing its own slice. `spec` must give a fixed
// output size (a crop or an exact resize). A file's random crop is seeded from spec.seed and its
// index, so results do not depend on the thread count. With stop_on_error the first error is thrown.
BatchResult load_batch(const std::vector<std::string>& paths, const LoadSpec& spec, bool stop_on_error = false);

}  // namespace tiny::image
