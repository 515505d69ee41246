#include "decoder/decoder.hpp"

#include "codec/zoo.hpp"
#include "core/file_io.hpp"
#include "decoder/model.hpp"
#include "decoder/tensors.hpp"
#include "decoder/transforms.hpp"
#include "entropy/cdf.hpp"

#include <fmt/format.h>

namespace tiny::decoder {
namespace {

// The coder tables an entropy model (`prefix`) stores.
std::unique_ptr<entropy::RansTables> stored_tables(const TensorSet& t, const std::string& prefix) {
  std::vector<int64_t> cdf_shape, offset_shape, length_shape;
  const std::vector<int32_t> cdf = t.ints(prefix + "._quantized_cdf", 2, cdf_shape);
  const std::vector<int32_t> offsets = t.ints(prefix + "._offset", 1, offset_shape);
  const std::vector<int32_t> lengths = t.ints(prefix + "._cdf_length", 1, length_shape);
  if (offset_shape[0] != cdf_shape[0] || length_shape[0] != cdf_shape[0])
    throw Error(fmt::format("{}: {} CDF rows but {} offsets and {} lengths", prefix, cdf_shape[0], offset_shape[0],
                            length_shape[0]));
  return std::make_unique<entropy::RansTables>(
      entropy::stored_cdfs(cdf.data(), size_t(cdf_shape[0]), size_t(cdf_shape[1]), offsets.data(), lengths.data()));
}

std::shared_ptr<ModelData> build(codec::ModelFile file, const std::string& name) {
  if (!supported_architecture(file.arch))
    throw DecodeError(Failure::unsupported,
                      file_error(name, fmt::format("architecture '{}' has a context model (autoregressive), which the "
                                                   "torch-free decoder does not run; decode with `tiny decompress`",
                                                   file.arch)));
  auto d = std::make_shared<ModelData>();
  const int N = file.N, M = file.M;
  if (N <= 0 || M <= 0 || M % 2 != 0) throw Error(file_error(name, fmt::format("N={} M={} are not a model's sizes", N, M)));
  d->hyperprior = file.arch != "bmshj2018-factorized";
  d->means = file.arch == "mbt2018-mean" || file.arch == "mbt2018-mean-vr";
  d->levels = codec::rate_levels(file.arch);
  const TensorSet t(file, name);
  const int z_channels = d->hyperprior ? N : M;
  const std::vector<float> quantiles = t.floats("entropy_bottleneck.quantiles", {z_channels, 1, 3});
  for (int c = 0; c < z_channels; ++c) d->medians.push_back(quantiles[size_t(c) * 3 + 1]);
  try {
    d->tables.push_back(stored_tables(t, "entropy_bottleneck"));
    if (d->hyperprior) d->tables.push_back(stored_tables(t, "gaussian_conditional"));
  } catch (const DecodeError&) {
    throw;
  } catch (const Error& e) {
    throw Error(file_error(name, fmt::format("model has unusable CDF tables: {}", e.what())));
  }
  if (int(d->tables[0]->size()) != z_channels)
    throw Error(file_error(name, fmt::format("the entropy bottleneck has {} tables for {} channels",
                                             d->tables[0]->size(), z_channels)));
  if (d->hyperprior) {
    // One scale per table; a scale's table is the first whose scale is not below it.
    std::vector<float> table = t.floats("gaussian_conditional.scale_table", {int64_t(d->tables[1]->size())});
    table.pop_back();
    d->scale_bounds = std::move(table);
    d->scale_floor = t.scalar("gaussian_conditional.lower_bound_scale.bound");
    d->hyper_synthesis.emplace(hyper_synthesis_layers(t, N, M, d->means));
  }
  if (d->levels > 0) d->inverse_gains = t.floats("inverse_gain", {d->levels, M});
  const std::vector<kernels::Layer> synthesis = synthesis_layers(t, N, M);
  d->synthesis.emplace(synthesis);
  d->fast_synthesis = onednn::Transform::compile(onednn::from_fixed_order(synthesis), onednn::ConvAlgorithm::winograd);
  file.tensors.clear();
  d->info = std::move(file);
  return d;
}

// Parses model bytes and builds the decoder's state; every failure but an unsupported architecture
// and running out of memory is a bad model.
Model load(const Bytes& bytes, const std::string& name, Model (*make)(std::shared_ptr<const ModelData>)) {
  try {
    return make(build(codec::parse_model(bytes, name), name));
  } catch (const DecodeError&) {
    throw;
  } catch (const Error& e) {
    throw DecodeError(Failure::bad_model, e.what());
  }
}

}  // namespace

bool supported_architecture(const std::string& arch) {
  return arch == "bmshj2018-factorized" || arch == "bmshj2018-hyperprior" || arch == "mbt2018-mean" ||
         arch == "mbt2018-mean-vr";
}

Model Model::from_bytes(const uint8_t* data, size_t size, const std::string& name) {
  return load(Bytes(data, data + size), name, [](std::shared_ptr<const ModelData> d) { return Model(std::move(d)); });
}

Model Model::from_file(const std::string& path) {
  Bytes bytes;
  try {
    bytes = read_file(path);
  } catch (const Error& e) {
    throw DecodeError(Failure::bad_model, e.what());
  }
  return load(bytes, path, [](std::shared_ptr<const ModelData> d) { return Model(std::move(d)); });
}

const std::string& Model::arch() const { return data_->info.arch; }
int Model::quality() const { return data_->info.quality; }
uint64_t Model::hash() const { return data_->info.hash; }

}  // namespace tiny::decoder
