#include "bench/codec.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tiny::bench {

std::vector<std::unique_ptr<Codec>> classical_codecs() {
  std::vector<std::unique_ptr<Codec>> out;
  out.push_back(make_jpeg_codec(false));
  out.push_back(make_jpeg_codec(true));
  out.push_back(make_webp_codec());
  out.push_back(make_jpeg2000_codec());
  out.push_back(make_avif_codec());
  out.push_back(make_jxl_codec());
  return out;
}

std::vector<std::unique_ptr<Codec>> select_codecs(std::vector<std::unique_ptr<Codec>> all,
                                                  const std::vector<std::string>& names) {
  if (names.empty()) return all;
  std::vector<std::unique_ptr<Codec>> out;
  for (const auto& name : names) {
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c && c->name() == name; });
    if (it == all.end()) {
      std::string known;
      for (const auto& c : all)
        if (c) known += (known.empty() ? "" : ", ") + c->name();
      throw UsageError(fmt::format("unknown codec '{}' (known: {})", name, known));
    }
    out.push_back(std::move(*it));
  }
  return out;
}

std::vector<double> subsample_points(const std::vector<double>& points, size_t count) {
  if (count >= points.size() || count == 0) return points;
  if (count == 1) return {points[points.size() / 2]};
  std::vector<double> out;
  for (size_t i = 0; i < count; ++i) out.push_back(points[i * (points.size() - 1) / (count - 1)]);
  return out;
}

}  // namespace tiny::bench
