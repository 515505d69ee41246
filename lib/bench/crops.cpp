#include "bench/crops.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/metrics.hpp"


#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace tiny::bench {
namespace {

Bytes crop_png(const image::Image& img, int x, int y, int size) {
  image::Image out = image::Image::blank(size, size);
  for (int r = 0; r < size; ++r) std::copy_n(img.at(x, y + r), size_t(size) * 3, out.at(0, r));
  return image::encode_image(out, image::Format::png);
}

long detail(const image::Image& img, int x0, int y0, int size) {
  long sum = 0;
  for (int y = y0; y + 1 < y0 + size; ++y)
    for (int x = x0; x + 1 < x0 + size; ++x)
      for (int c = 0; c < 3; ++c)
        sum += std::abs(img.at(x, y)[c] - img.at(x + 1, y)[c]) + std::abs(img.at(x, y)[c] - img.at(x, y + 1)[c]);
  return sum;
}

// The point of a codec whose bpp on image `i` is nearest `target` (-1 if it measured none there).
int nearest_point(const CodecResult& cr, size_t i, double target) {
  int best = -1;
  for (size_t p = 0; p < cr.points.size(); ++p) {
    const Measurement& m = cr.points[p].images[i];
    if (m.bytes == 0) continue;
    if (best < 0 || std::fabs(m.bpp - target) < std::fabs(cr.points[size_t(best)].images[i].bpp - target)) best = int(p);
  }
  return best;
}

}  // namespace

void detailed_square(const image::Image& img, int size, int& x, int& y) {
  const int side = std::min({size, img.width, img.height}), stride = std::max(1, side / 2);
  long best = -1;
  for (int y0 = 0; y0 + side <= img.height; y0 += stride)
    for (int x0 = 0; x0 + side <= img.width; x0 += stride) {
      const long d = detail(img, x0, y0, side);
      if (d > best) best = d, x = x0, y = y0;
    }
}

std::vector<size_t> crop_images(const BenchResult& result, size_t count) {
  std::vector<size_t> ok;
  for (size_t i = 0; i < result.files.size(); ++i) {
    bool measured = false;
    for (const auto& cr : result.codecs)
      for (const auto& p : cr.points) measured = measured || p.images[i].bytes > 0;
    if (measured) ok.push_back(i);
  }
  if (ok.size() <= count) return ok;
  std::vector<size_t> out;
  for (size_t k = 0; k < count; ++k) out.push_back(ok[count == 1 ? 0 : k * (ok.size() - 1) / (count - 1)]);
  return out;
}

std::vector<CropRow> side_by_side_crops(const BenchResult& result, const std::vector<std::unique_ptr<Codec>>& codecs,
                                        const std::vector<size_t>& images, const std::vector<double>& target_bpps,
                                        int size) {
  struct Job {
    size_t image, row, tile, codec;
  };
  std::vector<image::Image> originals(images.size());
  std::vector<CropRow> rows;
  std::vector<Job> jobs;
  for (size_t k = 0; k < images.size(); ++k) {
    originals[k] = image::read_image(result.files[images[k]]);
    CropRow base;
    base.file = result.files[images[k]];
    base.size = std::min({size, originals[k].width, originals[k].height});
    detailed_square(originals[k], base.size, base.x, base.y);
    base.tiles.push_back({"", "", 0, 0, 0, crop_png(originals[k], base.x, base.y, base.size)});
    for (double target : target_bpps) {
      CropRow row = base;
      row.target_bpp = target;
      for (size_t c = 0; c < codecs.size(); ++c) {
        const CodecResult& cr = result.codecs[c];
        const int p = nearest_point(cr, images[k], target);
        if (p < 0) continue;
        jobs.push_back({k, rows.size(), row.tiles.size(), c});
        row.tiles.push_back({cr.codec, cr.setting_unit, cr.points[size_t(p)].setting, 0, 0, {}});
      }
      rows.push_back(std::move(row));
    }
  }
  // Code every tile again (the codecs are deterministic: the bytes measured), in parallel.
  parallel_for(0, jobs.size(), [&](size_t j) {
    const Job& job = jobs[j];
    const image::Image& img = originals[job.image];
    CropRow& row = rows[job.row];
    CropTile& tile = row.tiles[job.tile];
    const Bytes data = codecs[job.codec]->encode(img, tile.setting);
    const image::Image decoded = codecs[job.codec]->decode(data);
    tile.bpp = double(data.size()) * 8 / (double(img.width) * img.height);
    tile.psnr = image::psnr(img, decoded);
    tile.png = crop_png(decoded, row.x, row.y, row.size);
  });
  return rows;
}

}  // namespace tiny::bench
