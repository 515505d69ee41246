// Training checkpoints: version 2 round trips (full and compact), version 1 still read, and damaged
// version 2 files refused with an error naming the file.
#include "../fuzz/fuzz_train_checkpoint_entry.hpp"

#include "codec/model.hpp"
#include "convert/safetensors.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "train/checkpoint.hpp"
#include "train/rng_state.hpp"
#include "train/trainer.hpp"
#include "train_fixtures.hpp"

#include <doctest/doctest.h>

#include <torch/torch.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>

using namespace tiny;

namespace {

// The fuzz target's small model with its two optimisers.
struct Trainee {
  std::shared_ptr<codec::CompressionModel> model;
  train::OptimizerParameters params;
  std::unique_ptr<torch::optim::Adam> optimizer, aux_optimizer;

  explicit Trainee(const codec::ArchConfig& arch = fuzz::train_checkpoint_config())
      : model(codec::make_model(arch)), params(train::optimizer_parameters(*model)),
        optimizer(std::make_unique<torch::optim::Adam>(params.net, torch::optim::AdamOptions(1e-2))),
        aux_optimizer(std::make_unique<torch::optim::Adam>(params.aux, torch::optim::AdamOptions(1e-3))) {}

  // One step of both optimisers on a loss that touches every parameter.
  void step() {
    optimizer->zero_grad();
    aux_optimizer->zero_grad();
    torch::Tensor loss = torch::zeros({});
    for (const auto& p : model->parameters()) loss = loss + (p * torch::randn_like(p)).sum();
    loss.backward();
    optimizer->step();
    aux_optimizer->step();
  }

  train::CheckpointHeader header() const {
    train::CheckpointHeader h;
    h.arch = model->config.arch, h.N = model->config.N, h.M = model->config.M, h.quality = model->config.quality;
    h.step = 3, h.best = 0.5, h.has_best = true;
    h.schedule = {{"scale", 1.0}};
    h.config = {{"seed", 7}};
    return h;
  }

  std::string save(bool compact) { return train::serialize_checkpoint(header(), *model, *optimizer, *aux_optimizer, compact); }

  train::CheckpointHeader load(const std::string& path,
                               train::Version1Checkpoints version1 = train::Version1Checkpoints::refuse) {
    return train::load_checkpoint(path, *model, *optimizer, *aux_optimizer, torch::kCPU, version1);
  }
};

bool same(const torch::Tensor& a, const torch::Tensor& b) {
  return a.defined() == b.defined() && (!a.defined() || (a.sizes() == b.sizes() && torch::equal(a, b)));
}

void check_same_tensors(codec::CompressionModel& a, codec::CompressionModel& b) {
  const auto pa = a.named_parameters(true), pb = b.named_parameters(true);
  for (const auto& p : pa) CHECK_MESSAGE(same(p.value(), pb[p.key()]), p.key());
  const auto ba = a.named_buffers(true), bb = b.named_buffers(true);
  for (const auto& x : ba) CHECK_MESSAGE(same(x.value(), bb[x.key()]), x.key());
}

void check_same_adam_state(torch::optim::Adam& a, const std::vector<torch::Tensor>& pa, torch::optim::Adam& b,
                           const std::vector<torch::Tensor>& pb) {
  REQUIRE(a.state().size() == pa.size());
  REQUIRE(b.state().size() == pb.size());
  for (size_t i = 0; i < pa.size(); ++i) {
    const auto& sa = static_cast<const torch::optim::AdamParamState&>(*a.state().at(c10::guts::to_string(pa[i].unsafeGetTensorImpl())));
    const auto& sb = static_cast<const torch::optim::AdamParamState&>(*b.state().at(c10::guts::to_string(pb[i].unsafeGetTensorImpl())));
    CHECK(sa.step() == sb.step());
    CHECK(same(sa.exp_avg(), sb.exp_avg()));
    CHECK(same(sa.exp_avg_sq(), sb.exp_avg_sq()));
    CHECK(same(sa.max_exp_avg_sq(), sb.max_exp_avg_sq()));
  }
}

std::string data_file(const std::string& name) { return std::string(TINY_SOURCE_DIR) + "/tests/train/data/" + name; }

// A version 2 checkpoint of a trained Trainee, changed by `edit` (its tensors and metadata) and written to `path`.
void write_edited(const std::string& path, const std::function<void(convert::SafeTensors&)>& edit) {
  Trainee t;
  t.step();
  const std::string bytes = t.save(false);
  convert::SafeTensors file = convert::parse_safetensors(Bytes(bytes.begin(), bytes.end()), "saved");
  edit(file);
  write_file_atomic(path, convert::safetensors_bytes(file), true);
}

codec::TensorRecord& record(convert::SafeTensors& file, const std::string& name) {
  for (auto& r : file.tensors)
    if (r.name == name) return r;
  throw std::logic_error("no tensor " + name);
}

// Loading `path` into a fresh Trainee throws a one-line Error naming the file and containing `what`.
void check_refused(const std::string& path, const std::string& what,
                   train::Version1Checkpoints version1 = train::Version1Checkpoints::refuse) {
  Trainee t;
  try {
    t.load(path, version1);
    FAIL("loaded " << path);
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK_MESSAGE(message.rfind(path + ": ", 0) == 0, message);
    CHECK_MESSAGE(message.find(what) != std::string::npos, message);
    CHECK_MESSAGE(message.find('\n') == std::string::npos, message);
  }
}

}  // namespace

TEST_CASE("a version 2 checkpoint restores parameters, buffers, both optimisers' moments and the random stream") {
  test::TempDir dir;
  torch::manual_seed(3);
  Trainee a;
  a.step();
  a.step();
  const std::string path = dir.file("full.ckpt");
  write_file_atomic(path, a.save(false), false);
  CHECK(read_file(path)[0] != 'P');  // not a zip: version 2
  const torch::Tensor draws = torch::rand({16});

  torch::manual_seed(99);
  Trainee b;
  const train::CheckpointHeader h = b.load(path);
  CHECK(h.step == 3);
  CHECK(h.has_best);
  CHECK(h.best == 0.5);
  CHECK(!h.compact);
  CHECK(h.config == Json{{"seed", 7}});
  CHECK(h.schedule == Json{{"scale", 1.0}});
  check_same_tensors(*a.model, *b.model);
  check_same_adam_state(*a.optimizer, a.params.net, *b.optimizer, b.params.net);
  check_same_adam_state(*a.aux_optimizer, a.params.aux, *b.aux_optimizer, b.params.aux);
  CHECK(torch::equal(torch::rand({16}), draws));

  // the same next step from both: exact resume
  torch::manual_seed(5);
  a.step();
  torch::manual_seed(5);
  b.step();
  check_same_tensors(*a.model, *b.model);
}

TEST_CASE("a compact version 2 checkpoint holds float16 parameters and no optimiser state") {
  test::TempDir dir;
  Trainee a;
  a.step();
  const std::string path = dir.file("compact.ckpt");
  write_file_atomic(path, a.save(true), false);
  CHECK(std::filesystem::file_size(path) < a.save(false).size() / 2);
  const torch::Tensor draws = torch::rand({16});

  Trainee b;
  b.step();
  const train::CheckpointHeader h = b.load(path);
  CHECK(h.compact);
  CHECK(b.optimizer->state().empty());
  CHECK(b.aux_optimizer->state().empty());
  const auto pb = b.model->named_parameters(true);
  for (const auto& p : a.model->named_parameters(true))
    CHECK_MESSAGE(torch::equal(p.value().to(torch::kHalf).to(torch::kFloat32), pb[p.key()]), p.key());
  CHECK(torch::equal(torch::rand({16}), draws));
}

TEST_CASE("version 1 checkpoints (libtorch archives) are read only when trusted, and re-saved as version 2") {
  test::TempDir dir;
  for (const char* name : {"checkpoint_v1_full.ckpt", "checkpoint_v1_compact.ckpt"}) {
    CAPTURE(name);
    check_refused(data_file(name), "--trust-v1-checkpoint");
    Trainee v1;
    const train::CheckpointHeader h = v1.load(data_file(name), train::Version1Checkpoints::trust);
    CHECK(h.step == 12);
    CHECK(h.compact == (std::string(name).find("compact") != std::string::npos));
    const std::string path = dir.file(std::string("resaved_") + name);
    write_file_atomic(path, train::serialize_checkpoint(h, *v1.model, *v1.optimizer, *v1.aux_optimizer, h.compact), false);
    Trainee v2;
    CHECK(v2.load(path).step == 12);
    check_same_tensors(*v1.model, *v2.model);
  }
  check_refused(data_file("checkpoint_v1_oom_pickle_length.ckpt"), "", train::Version1Checkpoints::trust);
  // libtorch's TorchScript import dies with a SEGV on this mutated code record (found by fuzzing): untrusted,
  // it never reaches libtorch.
  check_refused(data_file("checkpoint_v1_jit_type_parser_segv.ckpt"), "version 1 checkpoint");
}

TEST_CASE("a run resumes from a version 1 checkpoint and writes version 2 ones") {
  test::TempDir dir;
  const std::string data = test::make_image_folder(dir, "data", 3);
  const codec::ArchConfig arch = fuzz::train_checkpoint_config();
  Json j = test::small_config(data, dir.file("run"), 14);
  j["model"] = {{"arch", arch.arch}, {"quality", arch.quality}, {"N", arch.N}, {"M", arch.M}};
  const train::TrainConfig c = train::parse_config(j, "test.json");
  train::TrainOptions from;
  from.resume = true;
  from.resume_from = data_file("checkpoint_v1_full.ckpt");
  from.trust_v1_checkpoint = true;
  const train::TrainResult r = train::train(c, from);
  CHECK(r.finished);
  CHECK(r.step == 14);
  const std::string last = train::last_checkpoint_path(c);
  CHECK(read_file(last)[0] != 'P');
  Trainee again(arch);
  CHECK(again.load(last).step == 14);
}

TEST_CASE("damaged version 2 checkpoints are refused with a one-line error naming the file") {
  test::TempDir dir;
  Trainee t;
  t.step();
  const std::string good = t.save(false);

  SUBCASE("truncated") {
    const std::string path = dir.file("truncated.ckpt");
    for (size_t size : {size_t(0), size_t(5), size_t(100), good.size() / 2, good.size() - 1}) {
      write_file_atomic(path, good.substr(0, size), true);
      check_refused(path, "");
    }
  }
  SUBCASE("a flipped bit in the header or in tensor data") {
    const std::string path = dir.file("flipped.ckpt");
    for (size_t at : {size_t(40), good.size() / 3, good.size() - 10}) {
      std::string bad = good;
      bad[at] = char(bad[at] ^ 0x10);
      write_file_atomic(path, bad, true);
      check_refused(path, "");
    }
    std::string bad = good;
    bad[good.size() - 2000] = char(bad[good.size() - 2000] ^ 0x01);
    write_file_atomic(path, bad, true);
    check_refused(path, "does not match its hash");
  }
  SUBCASE("wrong shape") {
    const std::string path = dir.file("shape.ckpt");
    write_edited(path, [](convert::SafeTensors& f) {
      codec::TensorRecord& r = record(f, "opt.0.exp_avg");
      r.shape = {int64_t(r.data.size() / 4)};
    });
    check_refused(path, "tensor 'opt.0.exp_avg' has shape");
  }
  SUBCASE("wrong dtype") {
    const std::string path = dir.file("dtype.ckpt");
    write_edited(path, [](convert::SafeTensors& f) {
      codec::TensorRecord& r = record(f, "model.entropy_bottleneck.quantiles");
      r.dtype = codec::DType::i32;
    });
    check_refused(path, "is int32, expected float32");
  }
  SUBCASE("missing and unexpected tensors") {
    const std::string path = dir.file("names.ckpt");
    write_edited(path, [](convert::SafeTensors& f) { record(f, "rng").name = "rng2"; });
    check_refused(path, "tensor 'rng' is missing");
    write_edited(path, [](convert::SafeTensors& f) { f.tensors.push_back(record(f, "rng")); f.tensors.back().name = "extra"; });
    check_refused(path, "unexpected tensor 'extra'");
  }
  SUBCASE("a corrupt random generator state") {
    const std::string path = dir.file("rng.ckpt");
    write_edited(path, [](convert::SafeTensors& f) {
      codec::TensorRecord& r = record(f, "rng");
      const int32_t next = 624;  // low byte of the engine's `next` (byte 16), stored one int32 a byte
      std::memcpy(r.data.data() + 16 * 4, &next, 4);
    });
    check_refused(path, "values outside 0..255");
    write_edited(path, [](convert::SafeTensors& f) {
      codec::TensorRecord& r = record(f, "rng");
      std::memset(r.data.data() + 8 * 4, 0, 4 * 4);  // the engine's `left` (bytes 8..11) = 0
    });
    check_refused(path, "random generator state is corrupt");
  }
  SUBCASE("a malformed header") {
    const std::string path = dir.file("header.ckpt");
    struct Edit {
      std::string key;
      Json value;
      std::string error;
    };
    for (const Edit& e : {Edit{"N", 1e300, "'N' is not an integer"}, Edit{"step", -1, "negative step"},
                          Edit{"format", 2, "malformed checkpoint header"},
                          Edit{"format", "tiny-train-checkpoint-1", "not a tiny training checkpoint"}}) {
      CAPTURE(e.key);
      write_edited(path, [&](convert::SafeTensors& f) {
        Json h = Json::parse(f.metadata.at("header"));
        h[e.key] = e.value;
        f.metadata["header"] = h.dump();
      });
      check_refused(path, e.error);
    }
  }
  SUBCASE("another architecture") {
    const std::string path = dir.file("arch.ckpt");
    write_file_atomic(path, good, true);
    codec::ArchConfig other = fuzz::train_checkpoint_config();
    other.N = other.M = 8;
    Trainee wide(other);
    CHECK_THROWS_WITH_AS(wide.load(path), doctest::Contains((path + ": checkpoint is for bmshj2018-factorized N=4 M=4").c_str()), Error);
  }
}

TEST_CASE("the CPU random generator state's engine position is checked") {
  torch::manual_seed(1);
  torch::Tensor state = train::cpu_rng_state();
  CHECK_NOTHROW(train::check_cpu_rng_state(state, "rng"));
  torch::rand({3});
  state = train::cpu_rng_state();
  CHECK_NOTHROW(train::check_cpu_rng_state(state, "rng"));
  int32_t left;
  std::memcpy(&left, state.data_ptr<uint8_t>() + 8, 4);
  CHECK(left >= 1);
  CHECK(left <= 624);
  torch::Tensor zero_left = state.clone();
  std::memset(zero_left.data_ptr<uint8_t>() + 8, 0, 4);
  CHECK_THROWS_WITH_AS(train::check_cpu_rng_state(zero_left, "rng"), doctest::Contains("corrupt"), Error);
  CHECK_THROWS_WITH_AS(train::check_cpu_rng_state(state.narrow(0, 0, 100), "rng"), doctest::Contains("bytes"), Error);
}
