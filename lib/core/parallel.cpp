#include "core/parallel.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace tiny {

void parallel_for(size_t begin, size_t end, const std::function<void(size_t)>& body) {
  parallel_for_chunks(begin, end, 1, [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; ++i) body(i);
  });
}

void parallel_for_chunks(size_t begin, size_t end, size_t grain,
                         const std::function<void(size_t, size_t)>& body) {
  if (begin >= end) return;
  if (grain == 0) grain = 1;
  tbb::parallel_for(tbb::blocked_range<size_t>(begin, end, grain),
                    [&](const tbb::blocked_range<size_t>& r) { body(r.begin(), r.end()); });
}

}  // namespace tiny
