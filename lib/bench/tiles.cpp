#include "bench/tiles.hpp"

#include "bench/bd_rate.hpp"
#include "bench/photos.hpp"
#include "codec/codec.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/memory_usage.hpp"
#include "core/stopwatch.hpp"
#include "image/metrics.hpp"


namespace tiny::bench {
namespace {

struct Sizes {
  const char* name;
  int width, height;
  size_t images, quick_images;
};
constexpr Sizes kSets[] = {{"4000x3000", 4000, 3000, 3, 1}, {"768x512", 768, 512, 6, 2}};

struct Point {
  double bpp = 0, psnr = 0, seconds = 0, peak_mb = 0;
};

// Codes every image with the codec as it is set up, returning the means.
Point code_set(const codec::Codec& codec, const std::vector<image::Image>& images) {
  Point p;
  for (const auto& img : images) {
    reset_peak_memory();
    const double before = double(resident_memory_bytes());
    const Stopwatch t0;
    image::Image recon;
    const Bytes tic = codec.compress(img, &recon);
    p.seconds += t0.seconds();
    p.peak_mb = std::max(p.peak_mb, (double(peak_memory_bytes()) - before) / 1e6);
    p.bpp += double(tic.size()) * 8.0 / (double(img.width) * img.height);
    p.psnr += image::psnr(img, recon);
  }
  const double n = double(images.size());
  p.bpp /= n, p.psnr /= n, p.seconds /= n;
  return p;
}

}  // namespace

nlohmann::json run_tiles_bench(const TilesBenchOptions& o) {
  if (o.models.empty()) throw UsageError("bench tiles needs at least one model");
  nlohmann::json rows = nlohmann::json::array(), bd = nlohmann::json::array();
  const size_t most = o.quick ? kSets[1].quick_images : kSets[1].images;
  const std::vector<std::string> photos = find_photos(o.photos, most, "bench tiles");
  for (const Sizes& set : kSets) {
    std::vector<image::Image> images;
    for (size_t i = 0; i < (o.quick ? set.quick_images : set.images); ++i)
      images.push_back(resized_photo(photos[i], set.width, set.height));
    RdCurve tiled, whole;
    for (const auto& path : o.models) {
      codec::Codec codec = codec::Codec::from_file(path);
      for (const bool tiles : {true, false}) {
        log::info("bench tiles: {} {} {}", set.name, path, tiles ? "tiles" : "one tile");
        codec.set_tic_version(tiles ? 3 : 2);
        codec.set_tile_size(o.tile_size);
        const Point p = code_set(codec, images);
        (tiles ? tiled : whole).rate.push_back(p.bpp);
        (tiles ? tiled : whole).quality.push_back(p.psnr);
        rows.push_back({{"set", set.name},         {"model", path},      {"mode", tiles ? "tiles" : "one tile"},
                        {"tile_size", tiles ? o.tile_size : 0}, {"images", images.size()},
                        {"bpp", p.bpp},            {"psnr", p.psnr},     {"seconds", p.seconds},
                        {"peak_mb", p.peak_mb}});
      }
    }
    nlohmann::json b = {{"set", set.name}, {"tile_size", o.tile_size}, {"bd_rate", nullptr}};
    if (o.models.size() >= 2) b["bd_rate"] = bd_rate(whole, tiled);
    bd.push_back(b);
  }
  return {{"rows", rows}, {"bd", bd}};
}

}  // namespace tiny::bench
