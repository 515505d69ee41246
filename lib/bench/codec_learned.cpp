// tiny's learned codecs as codecs under test: one `.tmodel` per quality point, or one variable-rate
// `.tmodel` swept over its continuous quality; a bitstream is decoded by the model whose content hash
// its `.tic` header names.
#include "bench/codec.hpp"

#include "codec/codec.hpp"
#include "codec/zoo.hpp"
#include "core/error.hpp"
#include "entropy/container.hpp"
#include "nn/threads.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace tiny::bench {
namespace {

class LearnedCodec : public Codec {
public:
  LearnedCodec(std::string name, const std::vector<std::string>& model_paths) : name_(std::move(name)) {
    if (model_paths.empty()) throw Error(fmt::format("{}: no model files given", name_));
    for (const auto& path : model_paths) {
      codec::Codec model = codec::Codec::from_file(path);
      const int quality = model.info().quality;
      if (models_.count(quality))
        throw Error(fmt::format("{}: two models at quality {} ({} and another)", name_, quality, path));
      if (codec::rate_levels(model.info().arch) > 0) {
        if (model_paths.size() > 1)
          throw Error(fmt::format("{}: {} is a variable-rate model; measure it alone", name_, path));
        levels_ = codec::rate_levels(model.info().arch);
      }
      models_.emplace(quality, std::move(model));
    }
  }
  std::string name() const override { return name_; }
  std::string setting_unit() const override { return "quality"; }
  // A variable-rate model: kVariableRatePoints qualities evenly spaced over its 0..levels-1 (to 1/1000,
  // as the bitstream stores them); fixed-rate models: their levels.
  std::vector<double> qualities(bool quick) const override {
    std::vector<double> points;
    if (levels_ > 0) {
      for (int i = 0; i < kVariableRatePoints; ++i)
        points.push_back(std::round(1000.0 * (levels_ - 1) * double(i) / (kVariableRatePoints - 1)) / 1000);
    } else {
      for (const auto& [quality, model] : models_) points.push_back(quality);
    }
    return subsample_points(points, quick ? 4 : points.size());
  }
  // Every call runs torch on one thread of the calling worker (OpenMP's thread count is per thread),
  // so every image is coded alike whichever pool thread takes it.
  Bytes encode(const image::Image& img, double quality) const override {
    nn::set_torch_threads(1);
    if (levels_ > 0) {
      const codec::Codec& model = models_.begin()->second;
      return model.compress(*model.analyze(img), quality);
    }
    return models_.at(static_cast<int>(quality)).compress(img);
  }
  image::Image decode(const Bytes& data) const override {
    nn::set_torch_threads(1);
    const uint64_t hash = entropy::read_tic(data, name_).model_hash;
    for (const auto& [quality, model] : models_)
      if (model.info().hash == hash) return model.decompress(data, name_);
    throw Error(fmt::format("{}: the bitstream names a model that is not among this codec's", name_));
  }
  size_t payload_bytes(const Bytes& data) const override {
    size_t total = 0;
    for (const Bytes& s : entropy::read_tic(data, name_).substreams) total += s.size();
    return total;
  }

private:
  static constexpr int kVariableRatePoints = 8;
  std::string name_;
  std::map<int, codec::Codec> models_;  // by quality
  int levels_ = 0;                      // a variable-rate model's levels (then the only model), else 0
};

}  // namespace

std::unique_ptr<Codec> make_learned_codec(const std::string& name, const std::vector<std::string>& model_paths) {
  return std::make_unique<LearnedCodec>(name, model_paths);
}

}  // namespace tiny::bench
