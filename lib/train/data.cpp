#include "train/data.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/parallel.hpp"
#include "core/stopwatch.hpp"
#include "dataset/sources.hpp"
#include "image/load.hpp"
#include "image/probe.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace tiny::train {
namespace {

// SplitMix64: a well-mixed 64-bit value from a counter.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::vector<std::string> list_files(const std::vector<std::string>& sources) {
  dataset::SourceListing listing = dataset::list_sources(sources);
  for (const auto& p : listing.problems) log::warn("{}: skipped ({})", p.path, p.reason);
  std::vector<std::string> files;
  for (const auto& f : listing.files) files.push_back(f.path);
  return files;
}

// The load spec of one random patch: downscale by a factor in [min_scale, max_scale] (never below the
// patch), random crop, optional flip.
image::LoadSpec patch_spec(const std::string& path, const DataSection& data, uint64_t draw) {
  image::ImageInfo info = image::probe_file(path);
  const int shorter = std::min(info.display_width(), info.display_height());
  const double u = double(mix(draw ^ 0x5ca1e) >> 11) / double(1ULL << 53);
  const double scale = data.min_scale + (data.max_scale - data.min_scale) * u;
  image::LoadSpec spec;
  spec.resize = std::max(data.patch_size, int(std::lround(shorter * scale)));
  spec.filter = image::Filter::area;
  spec.crop = image::CropMode::random;
  spec.crop_width = spec.crop_height = data.patch_size;
  spec.seed = mix(draw ^ 0xc0de);
  spec.flip = data.flip && (mix(draw ^ 0xf11b) & 1);
  spec.normalize = image::Normalize::zero_one;
  return spec;
}

}  // namespace

DataSplit split_data(const DataSection& data, uint64_t seed) {
  DataSplit split;
  split.train = list_files(data.train);
  if (!data.val.empty()) {
    split.val = list_files(data.val);
  } else if (data.val_fraction > 0 && split.train.size() >= 2) {
    std::vector<std::string> shuffled = split.train;
    std::mt19937_64 rng(seed ^ 0x7a11d);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    size_t n = std::max<size_t>(1, size_t(std::ceil(data.val_fraction * shuffled.size())));
    n = std::min(n, shuffled.size() - 1);
    split.val.assign(shuffled.begin(), shuffled.begin() + n);
    std::set<std::string> held(split.val.begin(), split.val.end());
    std::vector<std::string> rest;
    for (const auto& f : split.train)
      if (!held.count(f)) rest.push_back(f);
    split.train = std::move(rest);
  }
  if (split.train.empty()) {
    std::string names;
    for (const auto& s : data.train) names += (names.empty() ? "" : ", ") + s;
    throw Error(fmt::format("{}: no training images found", names));
  }
  if (split.val.size() > size_t(data.val_images)) split.val.resize(size_t(data.val_images));
  return split;
}

PatchLoader::PatchLoader(std::vector<std::string> files, const DataSection& data, uint64_t seed, int64_t first_step,
                         int rank, int world)
    : files_(std::move(files)),
      data_(data),
      seed_(seed),
      first_patch_(rank * data.batch_size / world),
      patches_(data.batch_size / world),
      next_claim_(first_step),
      next_take_(first_step) {
  if (files_.empty()) throw Error("no training images to load");
  if (world < 1 || rank < 0 || rank >= world || data.batch_size % world != 0)
    throw UsageError(fmt::format("data.batch_size {} must be a multiple of the world size {}", data.batch_size, world));
  if (data_.cache) build_cache();
  for (int i = 0; i < data_.loader_threads; ++i) threads_.emplace_back([this] { worker(); });
}

PatchLoader::~PatchLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  room_.notify_all();
  for (auto& t : threads_) t.join();
}

size_t PatchLoader::skipped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bad_.size();
}

void PatchLoader::build_cache() {
  const size_t patch = size_t(3) * data_.patch_size * data_.patch_size;
  const size_t per_file = patch * size_t(data_.cache_patches);
  cache_.assign(files_.size() * per_file, 0);
  cached_.assign(files_.size(), 0);
  parallel_for(0, files_.size(), [&](size_t f) {
    std::vector<float> buffer(patch);
    for (int k = 0; k < data_.cache_patches; ++k) {
      if (!load_patch(f, mix(seed_ ^ mix(f * 1000003ULL + size_t(k))), buffer.data())) return;
      uint8_t* dst = cache_.data() + f * per_file + size_t(k) * patch;
      for (size_t i = 0; i < patch; ++i) dst[i] = uint8_t(std::lround(buffer[i] * 255.0f));
    }
    cached_[f] = 1;
  });
  log::info("patch cache: {} patches of {} images ({:.0f} MB)", size_t(data_.cache_patches) * files_.size(),
            files_.size(), double(cache_.size()) / 1e6);
}

bool PatchLoader::load_patch(size_t file, uint64_t draw, float* out) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (bad_.count(file)) return false;
  }
  try {
    image::load_tensor(files_[file], patch_spec(files_[file], data_, draw), out);
    return true;
  } catch (const Error& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (bad_.insert(file).second) log::warn("skipping unreadable training image: {}", e.what());
    return false;
  }
}

void PatchLoader::fill(int64_t step, float* out) {
  const int p = data_.patch_size;
  const size_t patch = size_t(3) * p * p;
  for (int i = first_patch_; i < first_patch_ + patches_; ++i) {
    float* dst = out + size_t(i - first_patch_) * patch;
    uint64_t draw = mix(seed_ ^ mix(uint64_t(step) * 4096 + uint64_t(i)));
    bool ok = false;
    for (size_t attempt = 0; attempt < files_.size() + 16 && !ok; ++attempt, draw = mix(draw)) {
      const size_t f = size_t(draw % files_.size());
      if (!data_.cache) {
        ok = load_patch(f, draw, dst);
        continue;
      }
      if (!cached_[f]) continue;
      const uint8_t* src = cache_.data() + (f * size_t(data_.cache_patches) + (draw >> 32) % data_.cache_patches) * patch;
      const bool flip = data_.flip && (mix(draw ^ 0xf11b) & 1);
      for (size_t c = 0; c < 3; ++c)
        for (int y = 0; y < p; ++y)
          for (int x = 0; x < p; ++x)
            dst[(c * p + y) * p + x] = float(src[(c * p + y) * p + (flip ? p - 1 - x : x)]) / 255.0f;
      ok = true;
    }
    if (!ok) throw Error(fmt::format("none of the {} training images could be read", files_.size()));
  }
}

void PatchLoader::worker() {
  for (;;) {
    int64_t step;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      room_.wait(lock, [&] { return stop_ || next_claim_ < next_take_ + data_.prefetch; });
      if (stop_) return;
      step = next_claim_++;
    }
    torch::Tensor batch = torch::empty({patches_, 3, data_.patch_size, data_.patch_size});
    std::exception_ptr error;
    try {
      fill(step, batch.data_ptr<float>());
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (error)
        failed_[step] = error;
      else
        done_[step] = batch;
    }
    ready_.notify_all();
  }
}

torch::Tensor PatchLoader::next() {
  const Stopwatch start;
  std::unique_lock<std::mutex> lock(mutex_);
  ready_.wait(lock, [&] { return done_.count(next_take_) || failed_.count(next_take_); });
  wait_seconds_ += start.seconds();
  if (failed_.count(next_take_)) std::rethrow_exception(failed_[next_take_]);
  torch::Tensor batch = done_[next_take_];
  done_.erase(next_take_++);
  lock.unlock();
  room_.notify_all();
  return batch;
}

torch::Tensor load_validation(const std::vector<std::string>& files, int patch_size, size_t& skipped) {
  image::LoadSpec spec;
  spec.resize = patch_size;
  spec.filter = image::Filter::area;
  spec.crop = image::CropMode::center;
  spec.crop_width = spec.crop_height = patch_size;
  spec.normalize = image::Normalize::zero_one;
  const size_t patch = size_t(3) * patch_size * patch_size;
  std::vector<float> data(files.size() * patch);
  std::vector<char> ok(files.size(), 0);
  parallel_for(0, files.size(), [&](size_t i) {
    try {
      image::load_tensor(files[i], spec, data.data() + i * patch);
      ok[i] = 1;
    } catch (const Error& e) {
      log::warn("skipping unreadable validation image: {}", e.what());
    }
  });
  std::vector<float> kept;
  for (size_t i = 0; i < files.size(); ++i)
    if (ok[i]) kept.insert(kept.end(), data.begin() + i * patch, data.begin() + (i + 1) * patch);
  skipped = files.size() - kept.size() / patch;
  const int64_t n = int64_t(kept.size() / patch);
  return torch::from_blob(kept.data(), {n, 3, patch_size, patch_size}).clone();
}

}  // namespace tiny::train
