#include "codec/codec.hpp"
#include "codec/model.hpp"
#include "codec/model_file.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "entropy/container.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"
#include "train_fixtures.hpp"

#include <doctest/doctest.h>

#include <torch/torch.h>

#include <filesystem>
#include <sstream>

using namespace tiny;

namespace {

train::TrainConfig config(const Json& j) { return train::parse_config(j, "test.json"); }

}  // namespace

TEST_CASE("training N steps then resuming N more gives the weights of 2N steps in one run") {
  test::TempDir dir;
  const std::string data = test::make_image_folder(dir, "data", 5);
  train::TrainResult straight = train::train(config(test::small_config(data, dir.file("a"), 4)), {});
  CHECK(straight.finished);
  CHECK(straight.step == 4);

  train::TrainConfig c = config(test::small_config(data, dir.file("b"), 4));
  train::TrainOptions first;
  first.max_steps = 2;
  train::TrainResult half = train::train(c, first);
  CHECK(!half.finished);
  CHECK(half.step == 2);
  CHECK(std::filesystem::exists(train::last_checkpoint_path(c)));
  CHECK(std::filesystem::exists(train::best_checkpoint_path(c)));
  train::TrainOptions again;
  again.resume = true;
  train::TrainResult rest = train::train(c, again);
  CHECK(rest.finished);
  CHECK(rest.step == 4);

  codec::ModelFile a = codec::read_model_file(straight.model_path);
  codec::ModelFile b = codec::read_model_file(rest.model_path);
  REQUIRE(a.tensors.size() == b.tensors.size());
  CHECK(a.arch == "mbt2018-mean");
  CHECK(a.lambda == doctest::Approx(0.0018));
  size_t differing = 0;
  for (size_t i = 0; i < a.tensors.size(); ++i)
    if (a.tensors[i].name != b.tensors[i].name || a.tensors[i].data != b.tensors[i].data) ++differing;
  CHECK(differing == 0);

  train::TrainConfig other = config(test::small_config(data, dir.file("c"), 4));
  train::TrainOptions different_seed;
  other.seed = 8;
  codec::ModelFile d = codec::read_model_file(train::train(other, different_seed).model_path);
  CHECK(d.tensors[0].data != a.tensors[0].data);

  const std::string log = read_text_file(train::metrics_log_path(c));
  CHECK(log.find("\"eval\":true") != std::string::npos);
  CHECK(log.find("\"data_wait_seconds\"") != std::string::npos);
}

TEST_CASE("a run refuses an existing checkpoint without --resume, a missing one with it, and another architecture") {
  test::TempDir dir;
  const std::string data = test::make_image_folder(dir, "data", 3);
  train::TrainConfig c = config(test::small_config(data, dir.file("run"), 2));
  train::train(c, {});
  CHECK_THROWS_WITH_AS(train::train(c, {}), doctest::Contains("--resume"), Error);

  train::TrainOptions resume;
  resume.resume = true;
  train::TrainConfig missing = config(test::small_config(data, dir.file("none"), 2));
  CHECK_THROWS_WITH_AS(train::train(missing, resume), doctest::Contains("no checkpoint"), Error);

  Json j = test::small_config(data, dir.file("other"), 2);
  j["model"] = {{"arch", "bmshj2018-factorized"}, {"quality", 1}, {"N", 16}, {"M", 16}};
  train::TrainOptions from;
  from.resume_from = train::last_checkpoint_path(c);
  from.resume = true;
  CHECK_THROWS_WITH_AS(train::train(config(j), from), doctest::Contains("checkpoint is for mbt2018-mean"), Error);

  write_file_atomic(dir.file("junk.ckpt"), std::string_view("junk"), false);
  from.resume_from = dir.file("junk.ckpt");
  CHECK_THROWS_WITH_AS(train::train(config(test::small_config(data, dir.file("j"), 2)), from),
                       doctest::Contains("junk.ckpt"), Error);
}

TEST_CASE("a non-finite loss stops training with a clear error and keeps the last good checkpoint") {
  test::TempDir dir;
  const std::string data = test::make_image_folder(dir, "data", 3);
  Json j = test::small_config(data, dir.file("run"), 50);
  j["optimizer"] = {{"lr", 1e30}, {"clip", 0}};
  j["checkpoint_interval"] = 1;
  j["eval_interval"] = 0;
  train::TrainConfig c = config(j);
  CHECK_THROWS_WITH_AS(train::train(c, {}), doctest::Contains("training stopped"), Error);
  CHECK(std::filesystem::exists(train::last_checkpoint_path(c)));
  CHECK(!std::filesystem::exists(train::exported_model_path(c)));
}

TEST_CASE("an unavailable CUDA device is a clear error") {
  if (torch::cuda::is_available()) return;
  test::TempDir dir;
  Json j = test::small_config(test::make_image_folder(dir, "data", 2), dir.file("run"), 1);
  j["device"] = "cuda:0";
  CHECK_THROWS_WITH_AS(train::train(config(j), {}), doctest::Contains("CUDA"), Error);
}

TEST_CASE("training with the ms-ssim loss logs MS-SSIM and exports an ms-ssim model") {
  test::TempDir dir;
  Json j = test::small_config(test::make_image_folder(dir, "data", 3), dir.file("run"), 1);
  j["loss"] = {{"type", "ms-ssim"}};
  j["data"]["patch_size"] = 192;
  j["data"]["val_patch_size"] = 192;
  j["data"]["batch_size"] = 1;
  train::TrainResult r = train::train(config(j), {});
  REQUIRE(r.finished);
  CHECK(codec::read_model_file(r.model_path).metric == "ms-ssim");
  CHECK(read_text_file(dir.file("run/metrics.jsonl")).find("\"ms_ssim\"") != std::string::npos);
}

TEST_CASE("model.init starts training from the matching tensors of another model") {
  test::TempDir dir;
  const std::string data = test::make_image_folder(dir, "data", 4);
  train::TrainResult base = train::train(config(test::small_config(data, dir.file("base"), 2)), {});
  REQUIRE(base.finished);

  Json j = test::small_config(data, dir.file("tuned"), 1);
  j["model"]["quality"] = 2;
  j["model"]["init"] = base.model_path;
  j["optimizer"] = {{"lr", 1e-12}};
  train::TrainResult tuned = train::train(config(j), {});
  REQUIRE(tuned.finished);
  codec::ModelFile a = codec::read_model_file(base.model_path), b = codec::read_model_file(tuned.model_path);
  CHECK(b.quality == 2);
  const auto find = [](const codec::ModelFile& f, const std::string& name) {
    for (const auto& t : f.tensors)
      if (t.name == name) return t;
    FAIL("no tensor " << name);
    return codec::TensorRecord{};
  };
  CHECK(find(a, "g_a.0.weight").data == find(b, "g_a.0.weight").data);  // an lr of 1e-12 leaves them as loaded

  Json factorized = test::small_config(data, dir.file("factorized"), 1);
  factorized["model"]["arch"] = "bmshj2018-factorized";
  factorized["model"]["init"] = base.model_path;
  CHECK(train::train(config(factorized), {}).finished);  // g_a and g_s carry over across architectures

  Json unrelated = test::small_config(data, dir.file("unrelated"), 1);
  unrelated["model"]["N"] = 8;
  unrelated["model"]["M"] = 8;
  unrelated["model"]["arch"] = "cheng2020-anchor";
  unrelated["model"]["init"] = base.model_path;
  CHECK_THROWS_WITH_AS(train::train(config(unrelated), {}), doctest::Contains("no parameter matches"), Error);
}

TEST_CASE("quantization-aware training steps the float weights and exports them quantized") {
  test::TempDir dir;
  const std::string data = test::make_image_folder(dir, "data", 3);
  Json j = test::small_config(data, dir.file("qat"), 2);
  j["model"]["quantize"] = "q4";
  train::TrainResult r = train::train(config(j), {});
  REQUIRE(r.finished);
  codec::ModelFile m = codec::read_model_file(r.model_path);
  CHECK(std::string(codec::describe_model(m)["weights"]) == "q4");
  CHECK(m.provenance["quantized"] == "q4");
  CHECK_FALSE(r.weights_hash.empty());
}

TEST_CASE("a variable-rate model trains every level at its own lambda and codes any quality between them") {
  test::TempDir dir;
  Json j = test::small_config(test::make_image_folder(dir, "data", 4), dir.file("vr"), 2);
  j["model"]["arch"] = "mbt2018-mean-vr";
  j["model"]["rounding"] = "mixed";
  train::TrainResult r = train::train(config(j), {});
  REQUIRE(r.finished);
  CHECK(std::filesystem::path(r.model_path).filename() == "mbt2018-mean-vr.tmodel");
  // one validation line per level, the rate falling with the lambda
  std::vector<double> bpp(codec::kVariableRateLevels, -1.0);
  std::istringstream log(read_text_file(dir.file("vr/metrics.jsonl")));
  for (std::string line; std::getline(log, line);) {
    const Json m = parse_json(line, "metrics.jsonl");
    if (m.contains("level") && m["step"] == r.step) bpp[size_t(int(m["level"]))] = m["bpp"];
  }
  for (size_t l = 0; l < bpp.size(); ++l) CHECK(bpp[l] > 0.0);
  CHECK(bpp.front() < bpp.back());

  codec::Codec c = codec::Codec::from_file(r.model_path);
  const image::Image img = test::make_test_image(64, 64, 2);
  std::vector<size_t> sizes;
  for (double q : {0.0, 1.0, 2.7, 6.0}) {
    CAPTURE(q);
    c.set_quality(q);
    image::Image recon;
    const Bytes tic = c.compress(img, &recon);
    CHECK(entropy::read_tic(tic, "vr.tic").quality == uint32_t(q * 1000));
    CHECK(c.decompress(tic, "vr.tic").pixels == recon.pixels);
    sizes.push_back(tic.size());
  }
  CHECK(sizes.front() <= sizes.back());
  CHECK_THROWS_AS(c.set_quality(-0.5), UsageError);
  CHECK_THROWS_AS(c.set_quality(6.5), UsageError);
  j["loss"] = {{"lambda", 0.01}};
  CHECK_THROWS_WITH_AS(config(j), doctest::Contains("its own lambda"), UsageError);
}

TEST_CASE("a compact resume point (float16 weights, no optimiser moments) continues a run on a fresh machine") {
  test::TempDir dir;
  const std::string data = test::make_image_folder(dir, "data", 4);
  train::TrainConfig c = config(test::small_config(data, dir.file("run"), 4));
  train::TrainOptions first;
  first.max_steps = 2;
  first.compact_checkpoint = dir.file("resume.ckpt");
  REQUIRE(train::train(c, first).step == 2);
  REQUIRE(std::filesystem::exists(dir.file("resume.ckpt")));
  CHECK(std::filesystem::file_size(dir.file("resume.ckpt")) < std::filesystem::file_size(train::last_checkpoint_path(c)) / 2);
  // a fresh machine: another checkpoint folder, only the compact file
  train::TrainConfig fresh = config(test::small_config(data, dir.file("fresh"), 4));
  train::TrainOptions more;
  more.resume = true;
  more.resume_from = dir.file("resume.ckpt");
  const train::TrainResult r = train::train(fresh, more);
  CHECK(r.finished);
  CHECK(r.step == 4);
}

TEST_CASE("a checkpoint with a malformed schedule state is refused with its name") {
  test::TempDir dir;
  const std::string data = test::make_image_folder(dir, "data", 3);
  codec::ArchConfig arch = codec::zoo_config("bmshj2018-factorized", 1);
  arch.N = arch.M = 4;
  auto model = codec::make_model(arch);
  const train::OptimizerParameters params = train::optimizer_parameters(*model);
  torch::optim::Adam optimizer(params.net), aux_optimizer(params.aux);
  train::CheckpointHeader header;
  header.arch = arch.arch, header.N = arch.N, header.M = arch.M, header.quality = arch.quality;
  header.schedule = Json::object();
  header.config = Json::object();
  const std::string path = dir.file("bad.ckpt");
  write_file_atomic(path, train::serialize_checkpoint(header, *model, optimizer, aux_optimizer), false);
  Json j = test::small_config(data, dir.file("run"), 2);
  j["model"] = {{"arch", arch.arch}, {"quality", arch.quality}, {"N", arch.N}, {"M", arch.M}};
  train::TrainOptions from;
  from.resume = true;
  from.resume_from = path;
  CHECK_THROWS_WITH_AS(train::train(config(j), from), doctest::Contains((path + ": malformed schedule state").c_str()), Error);
}
