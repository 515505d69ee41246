#include "codec/codec.hpp"
#include "codec/model_file.hpp"
#include "codec/model_io.hpp"
#include "convert/checkpoint.hpp"
#include "convert/model_convert.hpp"
#include "convert/safetensors.hpp"
#include "core/error.hpp"
#include "../codec/codec_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace tiny;
using namespace tiny::convert;
using codec::TensorRecord;

namespace {

codec::ModelFile untrained(const codec::ArchConfig& config, const test::TempDir& dir) {
  std::string path = dir.file(config.arch + ".tmodel");
  codec::Codec::untrained(config, 7).save(path, false, true);
  return codec::read_model_file(path);
}

const TensorRecord* find(const std::vector<TensorRecord>& v, const std::string& name) {
  for (const auto& r : v)
    if (r.name == name) return &r;
  return nullptr;
}

std::string import_error(const std::vector<TensorRecord>& sd, const ImportOptions& o) {
  try {
    import_state_dict(sd, o, "ck.pth");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("model convert: the entropy bottleneck's parameters carry CompressAI's names") {
  test::TempDir dir;
  codec::ModelFile file = untrained(test::small_configs().front(), dir);
  std::vector<std::string> names;
  for (const auto& r : export_state_dict(file)) names.push_back(r.name);
  for (const char* n : {"entropy_bottleneck._matrix0", "entropy_bottleneck._bias4", "entropy_bottleneck._factor3"})
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
  CHECK(std::find(names.begin(), names.end(), "entropy_bottleneck._factor4") == names.end());
}

TEST_CASE("model convert: CompressAI's scale_bound on export, and a 3-layer density widened to its 4 layers") {
  test::TempDir dir;
  codec::ArchConfig config = test::small_configs()[2];  // mbt2018-mean
  config.entropy_layers = 3;                            // as tiny's first models were trained
  codec::Codec::untrained(config, 7).save(dir.file("old.tmodel"), false, false);
  codec::ModelFile old = codec::read_model_file(dir.file("old.tmodel"));
  CHECK(codec::entropy_layers_of(old.tensors) == 3);
  std::vector<TensorRecord> sd = export_state_dict(old);
  CHECK(find(sd, "entropy_bottleneck._matrix4") != nullptr);
  CHECK(find(sd, "entropy_bottleneck._factor3") != nullptr);
  REQUIRE(find(sd, "gaussian_conditional.scale_bound") != nullptr);
  CHECK(find(sd, "gaussian_conditional.scale_bound")->data == find(sd, "gaussian_conditional.lower_bound_scale.bound")->data);
  ImportOptions options;
  options.quality = 1;
  codec::ModelFile widened = import_state_dict(sd, options, "sd");
  CHECK(codec::entropy_layers_of(widened.tensors) == 4);
  codec::write_model_file(dir.file("new.tmodel"), widened, false);
  // The inserted layer is an identity: both models code the image alike.
  codec::Codec a = codec::Codec::from_file(dir.file("old.tmodel")), b = codec::Codec::from_file(dir.file("new.tmodel"));
  image::Image img = test::make_test_image(64, 64, 4), ra, rb;
  Bytes ta = a.compress(img, &ra), tb = b.compress(img, &rb);
  CHECK(ra.pixels == rb.pixels);
  CHECK(std::abs(double(ta.size()) - double(tb.size())) <= 2.0);
}

TEST_CASE("model convert: import(export(m)) has identical tensors for every architecture, arch and N/M inferred") {
  test::TempDir dir;
  for (const auto& config : test::small_configs()) {
    CAPTURE(config.arch);
    codec::ModelFile m = untrained(config, dir);
    std::vector<TensorRecord> sd = export_state_dict(m);
    CHECK(find(sd, "entropy_bottleneck._matrix0") != nullptr);
    CHECK(find(sd, "entropy_bottleneck._matrices.0") == nullptr);
    for (const auto& via : {std::string("compressai"), std::string("safetensors")}) {
      CAPTURE(via);
      std::vector<TensorRecord> read = via == "compressai" ? parse_torch_checkpoint(torch_checkpoint_bytes(sd), "x.pth")
                                                           : parse_safetensors(safetensors_bytes({sd, {}}), "x.st").tensors;
      ImportOptions o;
      o.quality = 1;
      codec::ModelFile back = import_state_dict(read, o, "x");
      CHECK(back.arch == m.arch);
      CHECK(back.N == m.N);
      CHECK(back.M == m.M);
      REQUIRE(back.tensors.size() == m.tensors.size());
      for (size_t i = 0; i < m.tensors.size(); ++i) {
        CAPTURE(m.tensors[i].name);
        CHECK(back.tensors[i].name == m.tensors[i].name);
        CHECK(back.tensors[i].shape == m.tensors[i].shape);
        CHECK(back.tensors[i].data == m.tensors[i].data);
      }
    }
  }
}

TEST_CASE("model convert: the zoo quality is inferred only where N/M fit exactly one") {
  test::TempDir dir;
  codec::ModelFile m = untrained(codec::zoo_config("bmshj2018-factorized", 8), dir);
  ImportOptions o;
  CHECK(import_error(export_state_dict(m), o).find("fits 3 zoo qualities (6, 7, 8); pass --quality") != std::string::npos);
  o.quality = 7;
  codec::ModelFile back = import_state_dict(export_state_dict(m), o, "ck.pth");
  CHECK(back.quality == 7);
  CHECK(back.lambda == codec::zoo_config("bmshj2018-factorized", 7).lambda);
}

TEST_CASE("model convert: missing, unknown and mis-shaped tensors are named") {
  test::TempDir dir;
  codec::ArchConfig config = test::small_configs()[1];  // bmshj2018-hyperprior
  std::vector<TensorRecord> sd = export_state_dict(untrained(config, dir));
  ImportOptions o;
  o.quality = 1;
  o.arch = config.arch;

  auto missing = sd;
  missing.erase(std::find_if(missing.begin(), missing.end(), [](const TensorRecord& r) { return r.name == "h_s.2.weight"; }));
  CHECK(import_error(missing, o) == "ck.pth: state_dict does not fit bmshj2018-hyperprior lacks tensor 'h_s.2.weight'");

  auto extra = sd;
  extra.push_back(extra[0]);
  extra.back().name = "g_a.9.weight";
  CHECK(import_error(extra, o) ==
        "ck.pth: state_dict does not fit bmshj2018-hyperprior has tensor 'g_a.9.weight' that bmshj2018-hyperprior does not have");

  auto shaped = sd;
  for (auto& r : shaped)
    if (r.name == "g_s.2.weight") r.shape = {r.shape[0], r.shape[1], 1, int64_t(r.data.size() / 4 / size_t(r.shape[0] * r.shape[1]))};
  CHECK(import_error(shaped, o).find("has tensor 'g_s.2.weight' of shape 8x8x1x25, bmshj2018-hyperprior N=8 M=12 needs 8x8x5x5") !=
        std::string::npos);

  o.arch.clear();
  std::vector<TensorRecord> foreign = {sd[0]};
  foreign[0].name = "encoder.conv.weight";
  CHECK(import_error(foreign, o).find("cannot infer the architecture") != std::string::npos);
  o.arch = "resnet50";
  CHECK_THROWS_AS(import_state_dict(sd, o, "ck.pth"), UsageError);
}

TEST_CASE("model convert: duplicate names after DDP unwrapping are refused") {
  test::TempDir dir;
  std::vector<TensorRecord> sd = export_state_dict(untrained(test::small_configs()[0], dir));
  sd.push_back(sd[0]);
  CHECK(import_error(sd, {}) == "ck.pth: tensor '" + sd[0].name + "' appears twice");
}

TEST_CASE("model convert: a CompressAI state_dict saved before update() (empty table buffers) imports") {
  test::TempDir dir;
  codec::ModelFile m = untrained(test::small_configs()[4], dir);  // mbt2018
  std::vector<TensorRecord> sd = export_state_dict(m);
  for (auto& r : sd)
    if (r.name == "gaussian_conditional.scale_table" || codec::is_table_buffer(r.name)) r.shape = {0}, r.data.clear();
  ImportOptions options;
  options.quality = 1;
  codec::ModelFile back = import_state_dict(sd, options, "early.pth");
  CHECK(back.arch == "mbt2018");
  const TensorRecord* table = find(back.tensors, "gaussian_conditional.scale_table");
  REQUIRE(table != nullptr);
  CHECK(table->shape == std::vector<int64_t>{64});
}

TEST_CASE("model convert: every CompressAI naming of the density and of cheng2020's shortcuts imports") {
  test::TempDir dir;
  // Current releases (ParameterLists) and the ParameterList era with underscores; tiny keeps `_matrixN`.
  for (const std::string lists : {"", "_"}) {
    for (const codec::ArchConfig& config : test::small_configs()) {
      CAPTURE(lists);
      CAPTURE(config.arch);
      codec::ModelFile m = untrained(config, dir);
      std::vector<TensorRecord> sd = export_state_dict(m);
      size_t renamed = 0;
      for (auto& r : sd) {
        for (const auto& [tiny, list] : {std::pair<std::string, std::string>{"_matrix", "matrices."},
                                         {"_bias", "biases."},
                                         {"_factor", "factors."}})
          if (r.name.rfind("entropy_bottleneck." + tiny, 0) == 0)
            r.name = "entropy_bottleneck." + lists + list + r.name.substr(19 + tiny.size()), ++renamed;
        if (const size_t at = r.name.find(".skip."); at != std::string::npos)
          r.name = r.name.substr(0, at) + ".downsample." + r.name.substr(at + 6), ++renamed;
      }
      CHECK(renamed >= 14);  // 5 matrices, 5 biases, 4 factors (and cheng2020's shortcuts)
      ImportOptions o;
      o.quality = config.quality;
      codec::ModelFile back = import_state_dict(parse_torch_checkpoint(torch_checkpoint_bytes(sd), "old.pth"), o, "old.pth");
      CHECK(back.arch == config.arch);
      CHECK(back.N == config.N);
      CHECK(back.M == config.M);
      REQUIRE(back.tensors.size() == m.tensors.size());
      for (size_t i = 0; i < m.tensors.size(); ++i) {
        CHECK(back.tensors[i].name == m.tensors[i].name);
        CHECK(back.tensors[i].data == m.tensors[i].data);
      }
    }
  }
}
