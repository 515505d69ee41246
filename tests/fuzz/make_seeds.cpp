// Writes the seeds of the fuzz corpora that need tiny's models: corpus_decode/ (.tic files of every
// architecture's decode model), corpus_torch_checkpoint/ (torch.save checkpoints as tiny writes
// them) and corpus_train_checkpoint/ (a full and a compact version 2 checkpoint of the resume target's model).
// Usage: fuzz_make_seeds tests/fuzz (from a normal build; the seeds are checked in).
#include "../codec/codec_fixtures.hpp"
#include "fuzz_decode_entry.hpp"
#include "fuzz_train_checkpoint_entry.hpp"

#include "codec/model.hpp"
#include "convert/checkpoint.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "train/checkpoint.hpp"
#include "train/schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

using namespace tiny;

namespace {

// A picture with gradients and a few edges, so every latent channel carries something.
image::Image picture(int width, int height) {
  image::Image img = image::Image::blank(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t* p = img.at(x, y);
      p[0] = uint8_t(4 * x + y);
      p[1] = uint8_t((x / 8 + y / 8) % 2 ? 200 : 40);
      p[2] = uint8_t(255 - 3 * y);
    }
  return img;
}

void write(const std::string& path, const Bytes& bytes) {
  write_file_atomic(path, bytes, true);
  std::cout << fmt::format("{} ({} bytes)\n", path, bytes.size());
}

void decode_seeds(const std::string& dir) {
  for (const auto& config : test::small_configs()) {
    codec::Codec codec = fuzz::make_decode_codec(config);
    write(fmt::format("{}/{}.tic", dir, config.arch), codec.compress(picture(40, 24)));
  }
  // The shipped architecture also in several tiles and in the older versions.
  const auto configs = test::small_configs();
  codec::Codec codec = fuzz::make_decode_codec(
      *std::find_if(configs.begin(), configs.end(), [](const auto& c) { return c.arch == "mbt2018-mean"; }));
  codec.set_tile_size(64);
  write(dir + "/tiles.tic", codec.compress(picture(100, 70)));
  for (int version : {1, 2}) {
    codec.set_tic_version(version);
    write(fmt::format("{}/version{}.tic", dir, version), codec.compress(picture(40, 24)));
  }
}

codec::TensorRecord record(const std::string& name, codec::DType dtype, std::vector<int64_t> shape, size_t bytes) {
  codec::TensorRecord r{name, dtype, std::move(shape), Bytes(bytes)};
  for (size_t i = 0; i < bytes; ++i) r.data[i] = uint8_t(i * 37 + 11);
  return r;
}

void torch_checkpoint_seeds(const std::string& dir) {
  using codec::DType;
  write(dir + "/state_dict.pth", convert::torch_checkpoint_bytes({record("g_a.0.weight", DType::f32, {2, 3}, 24),
                                                                  record("g_a.0.bias", DType::f16, {4}, 8),
                                                                  record("count", DType::i32, {}, 4)}));
  write(dir + "/ddp_prefix.pth", convert::torch_checkpoint_bytes({record("module.w", DType::f32, {1, 2, 1, 2}, 16),
                                                                  record("module.e", DType::f32, {0}, 0)}));
}

void train_checkpoint_seeds(const std::string& dir) {
  const codec::ArchConfig config = fuzz::train_checkpoint_config();
  auto model = codec::make_model(config);
  const train::OptimizerParameters params = train::optimizer_parameters(*model);
  torch::optim::Adam optimizer(params.net), aux_optimizer(params.aux);
  train::CheckpointHeader header;
  header.arch = config.arch, header.N = config.N, header.M = config.M, header.quality = config.quality;
  header.step = 12, header.best = 1.5, header.has_best = true;
  header.schedule = train::LrSchedule(train::ScheduleSection{}, 1e-4, 1000).state();
  header.config = Json::object();
  for (bool compact : {false, true}) {
    const std::string bytes = train::serialize_checkpoint(header, *model, optimizer, aux_optimizer, compact);
    write(fmt::format("{}/{}.ckpt", dir, compact ? "compact" : "full"), Bytes(bytes.begin(), bytes.end()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_seeds TESTS_FUZZ_DIR\n";
    return 2;
  }
  try {
    const std::string dir = argv[1];
    decode_seeds(dir + "/corpus_decode");
    torch_checkpoint_seeds(dir + "/corpus_torch_checkpoint");
    train_checkpoint_seeds(dir + "/corpus_train_checkpoint");
  } catch (const Error& e) {
    std::cerr << "fuzz_make_seeds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
