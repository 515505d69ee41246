#pragma once
// Parallel loops on oneTBB. Work is split by index, so results written to per-index slots are
// deterministic whatever the thread count.
#include <cstddef>
#include <functional>

namespace tiny {

// Calls body(i) for every i in [begin, end) on tiny's thread pool; rethrows the first exception.
void parallel_for(size_t begin, size_t end, const std::function<void(size_t)>& body);

// Calls body(lo, hi) on disjoint chunks covering [begin, end), at least `grain` indices each.
void parallel_for_chunks(size_t begin, size_t end, size_t grain,
                         const std::function<void(size_t, size_t)>& body);

}  // namespace tiny
