#include "codec/zoo.hpp"
#include "core/error.hpp"
#include "train/config.hpp"
#include "train/schedule.hpp"
#include "train_fixtures.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using namespace tiny;

namespace {

std::string config_error(const Json& j) {
  try {
    train::parse_config(j, "run.json");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a training configuration is read with defaults and the zoo's lambda") {
  train::TrainConfig c = train::parse_config(test::small_config("data", "ckpt", 10), "run.json");
  CHECK(c.model.arch == "mbt2018-mean");
  CHECK(c.model.N == 16);
  CHECK(c.data.train == std::vector<std::string>{"data"});
  CHECK(c.data.batch_size == 2);
  CHECK(c.loss.type == "mse");
  CHECK(train::effective_lambda(c) == doctest::Approx(0.0018));
  CHECK(c.schedule.type == "constant");
  CHECK(c.device == "cpu");
  Json j = test::small_config("data", "ckpt", 10);
  j["loss"] = {{"lambda", 0.05}};
  CHECK(train::effective_lambda(train::parse_config(j, "run.json")) == doctest::Approx(0.05));
}

TEST_CASE("unknown keys, wrong types and bad values are errors naming the file and key") {
  Json j = test::small_config("data", "ckpt", 10);
  j["stpes"] = 3;
  CHECK(config_error(j).find("stpes") != std::string::npos);
  j = test::small_config("data", "ckpt", 10);
  j["data"]["patchsize"] = 3;
  std::string e = config_error(j);
  CHECK(e.find("patchsize") != std::string::npos);
  CHECK(e.find("run.json") != std::string::npos);
  j = test::small_config("data", "ckpt", 10);
  j["data"]["batch_size"] = "eight";
  CHECK(config_error(j).find("data.batch_size") != std::string::npos);
  j = test::small_config("data", "ckpt", 10);
  j["model"]["arch"] = "nope";
  CHECK(config_error(j).find("nope") != std::string::npos);
  j = test::small_config("data", "ckpt", 10);
  j["data"]["patch_size"] = 100;
  CHECK(config_error(j).find("patch_size") != std::string::npos);
  j = test::small_config("data", "ckpt", 10);
  j["device"] = "tpu";
  CHECK(config_error(j).find("tpu") != std::string::npos);
  j = test::small_config("data", "ckpt", 10);
  j["schedule"] = {{"type", "linear"}};
  CHECK(config_error(j).find("linear") != std::string::npos);
  j = test::small_config("data", "ckpt", 10);
  j["model"]["quantize"] = "int4";
  CHECK(config_error(j).find("model.quantize") != std::string::npos);
  j = test::small_config("data", "ckpt", 10);
  j.erase("data");
  CHECK(config_error(j).find("data.train") != std::string::npos);
  CHECK(config_error(Json::array()).find("object") != std::string::npos);
}

TEST_CASE("learning-rate schedules: warm-up, step, cosine and plateau") {
  train::ScheduleSection s;
  s.warmup = 4;
  train::LrSchedule constant(s, 1.0, 100);
  CHECK(constant.lr(0) == doctest::Approx(0.25));
  CHECK(constant.lr(3) == doctest::Approx(1.0));
  CHECK(constant.lr(50) == doctest::Approx(1.0));

  s = {};
  s.type = "step";
  s.step_size = 10;
  s.gamma = 0.5;
  train::LrSchedule step(s, 1.0, 100);
  CHECK(step.lr(9) == doctest::Approx(1.0));
  CHECK(step.lr(10) == doctest::Approx(0.5));
  CHECK(step.lr(25) == doctest::Approx(0.25));

  s = {};
  s.type = "cosine";
  s.min_lr = 0.1;
  train::LrSchedule cosine(s, 1.0, 100);
  CHECK(cosine.lr(0) == doctest::Approx(1.0));
  CHECK(cosine.lr(50) == doctest::Approx(0.55));
  CHECK(cosine.lr(100) == doctest::Approx(0.1));

  s = {};
  s.type = "plateau";
  s.patience = 1;
  s.factor = 0.5;
  train::LrSchedule plateau(s, 1.0, 100);
  plateau.observe(1.0);
  plateau.observe(2.0);
  CHECK(plateau.lr(10) == doctest::Approx(1.0));
  plateau.observe(2.0);
  CHECK(plateau.lr(10) == doctest::Approx(0.5));
  train::LrSchedule restored(s, 1.0, 100);
  restored.load_state(plateau.state());
  CHECK(restored.lr(10) == doctest::Approx(0.5));
  CHECK_THROWS_AS(restored.load_state(Json::object()), Error);
}

TEST_CASE("the ms-ssim loss takes CompressAI's MS-SSIM lambda and needs patches of 192 or more") {
  Json j = test::small_config("data", "ckpt", 10);
  j["loss"] = {{"type", "ms-ssim"}};
  CHECK(config_error(j).find("192") != std::string::npos);
  j["data"]["patch_size"] = 192;
  j["data"]["val_patch_size"] = 192;
  j["model"]["quality"] = 3;
  CHECK(train::effective_lambda(train::parse_config(j, "run.json")) == doctest::Approx(8.73));
  j["loss"] = {{"type", "ssim"}};
  CHECK(config_error(j).find("ssim") != std::string::npos);
}

TEST_CASE("every shipped training configuration is valid and uses CompressAI's lambda of its quality") {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(TINY_SOURCE_DIR) + "/configs/train")) {
    if (entry.path().extension() != ".json") continue;
    train::TrainConfig c = train::read_config(entry.path().string());
    CHECK(train::effective_lambda(c) == doctest::Approx(codec::zoo_config(c.model.arch, c.model.quality).lambda));
    CHECK(c.checkpoint_dir.find(c.model.arch) != std::string::npos);
    ++count;
  }
  CHECK(count >= 8);
}

TEST_CASE("numbers in a training configuration are never truncated or wrapped") {
  const auto with = [](const char* section, const char* key, const Json& value) {
    Json j = {{"model", {{"arch", "mbt2018-mean"}}}, {"data", {{"train", {"x"}}}}};
    if (std::string(section).empty())
      j[key] = value;
    else
      j[section][key] = value;
    return j;
  };
  CHECK_THROWS_WITH_AS(train::parse_config(with("model", "quality", 4294967297LL), "t.json"),
                       doctest::Contains("t.json: key \"model.quality\" is out of range"), UsageError);
  CHECK_THROWS_WITH_AS(train::parse_config(with("data", "batch_size", 1.9), "t.json"),
                       doctest::Contains("key \"data.batch_size\" must be a whole number"), UsageError);
  CHECK_THROWS_WITH_AS(train::parse_config(with("", "steps", 2.7), "t.json"),
                       doctest::Contains("key \"steps\" must be a whole number"), UsageError);
  CHECK_THROWS_WITH_AS(train::parse_config(with("", "steps", 1e300), "t.json"),
                       doctest::Contains("key \"steps\" must be a whole number"), UsageError);
  CHECK_THROWS_WITH_AS(train::parse_config(with("", "seed", -1), "t.json"),
                       doctest::Contains("key \"seed\" is out of range"), UsageError);
  CHECK_NOTHROW(train::parse_config(with("", "seed", 18446744073709551615ULL), "t.json"));
  CHECK_NOTHROW(train::parse_config(with("optimizer", "lr", 1), "t.json"));  // an integer is a fine double
}

TEST_CASE("config_json holds every key with its effective value and reads back to the same configuration") {
  train::TrainConfig c = train::parse_config(test::small_config("data", "ckpt", 10), "run.json");
  Json full = train::config_json(c);
  CHECK(full["loss"]["lambda"] == 0.0);
  CHECK(full["schedule"]["type"] == "constant");
  CHECK(full["data"]["train"] == Json::array({"data"}));
  CHECK(train::config_json(train::parse_config(full, "printed.json")) == full);
}

TEST_CASE("--set KEY=VALUE overrides any key, typed by the configuration's schema") {
  Json j = test::small_config("data", "ckpt", 10);
  train::apply_setting(j, "loss.lambda=0.013");
  train::apply_setting(j, "data.batch_size=3");
  train::apply_setting(j, "data.flip=false");
  train::apply_setting(j, "steps=7");
  train::apply_setting(j, "data.val=a,b");
  train::apply_setting(j, "schedule.type=cosine");
  train::apply_setting(j, "model.init=");
  train::TrainConfig c = train::parse_config(j, "run.json");
  CHECK(c.loss.lambda == doctest::Approx(0.013));
  CHECK(c.data.batch_size == 3);
  CHECK(!c.data.flip);
  CHECK(c.steps == 7);
  CHECK(c.data.val == std::vector<std::string>{"a", "b"});
  CHECK(c.schedule.type == "cosine");
  auto error = [&](const std::string& assignment) {
    Json copy = j;
    try {
      train::apply_setting(copy, assignment);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error("loss.lamda=1").find("no such configuration key") != std::string::npos);
  CHECK(error("steps=1.5").find("whole number") != std::string::npos);
  CHECK(error("seed=-1").find("whole number") != std::string::npos);
  CHECK(error("data.flip=yes").find("true or false") != std::string::npos);
  CHECK(error("loss.lambda=inf").find("finite") != std::string::npos);
  CHECK(error("loss").find("KEY=VALUE") != std::string::npos);
  CHECK(error("data=1").find("no such configuration key") != std::string::npos);
}
