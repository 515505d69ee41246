// Compress -> decompress round trips of every architecture with small random models, determinism,
// model files and bad input.
#include "codec/codec.hpp"
#include "codec/model_io.hpp"
#include "codec_fixtures.hpp"
#include "core/error.hpp"
#include "entropy/container.hpp"
#include "nn/threads.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

using namespace tiny;
using namespace tiny::codec;

TEST_CASE("every architecture round-trips bit-exactly and deterministically") {
  image::Image img = test::make_test_image(70, 45, 3);
  for (const auto& cfg : test::small_configs()) {
    CAPTURE(cfg.arch);
    Codec c = Codec::untrained(cfg, 7);
    image::Image recon;
    Bytes tic = c.compress(img, &recon);
    CHECK(recon.width == 70);
    CHECK(recon.height == 45);
    image::Image out = c.decompress(tic, "mem.tic");
    CHECK(out.width == 70);
    CHECK(out.height == 45);
    CHECK(out.pixels == recon.pixels);
    CHECK(c.compress(img) == tic);
    // the same seed builds the same model (same hash), which decodes the stream too
    Codec again = Codec::untrained(cfg, 7);
    CHECK(again.info().hash == c.info().hash);
    CHECK(again.decompress(tic, "mem.tic").pixels == recon.pixels);
    // thread count does not change the bytes
    nn::set_torch_threads(1);
    Bytes one = c.compress(img);
    nn::set_torch_threads(2);
    CHECK(one == tic);
    CHECK(c.decompress(one, "mem.tic").pixels == recon.pixels);
  }
}

TEST_CASE("model files: save, load, same hash and reconstruction, float16 is another model") {
  test::TempDir dir;
  ArchConfig cfg = test::small_configs()[2];  // mbt2018-mean
  Codec c = Codec::untrained(cfg, 3);
  image::Image img = test::make_test_image(64, 64, 5), recon;
  Bytes tic = c.compress(img, &recon);
  c.save(dir.file("m.tmodel"), false, false);
  CHECK_THROWS_AS(c.save(dir.file("m.tmodel"), false, false), Error);  // no overwrite
  Codec loaded = Codec::from_file(dir.file("m.tmodel"));
  CHECK(loaded.info().hash == c.info().hash);
  CHECK(loaded.info().arch == "mbt2018-mean");
  CHECK(loaded.info().N == cfg.N);
  CHECK(loaded.decompress(tic, "x.tic").pixels == recon.pixels);
  CHECK(loaded.compress(img) == tic);
  CHECK(find_model(dir.file("m.tmodel")) == dir.file("m.tmodel"));

  c.save(dir.file("h.tmodel"), true, false);
  Codec half = Codec::from_file(dir.file("h.tmodel"));
  CHECK(half.info().hash != c.info().hash);
  CHECK(describe_model(read_model_file(dir.file("h.tmodel")))["weights"] == "float16");
  try {
    half.decompress(tic, "x.tic");
    FAIL("a bitstream of another model was accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("another model") != std::string::npos);
  }
  image::Image hr;
  Bytes ht = half.compress(img, &hr);
  CHECK(half.decompress(ht, "h.tic").pixels == hr.pixels);
}

TEST_CASE("bad bitstreams are refused with an error naming the file") {
  Codec c = Codec::untrained(test::small_configs()[1], 1);
  Bytes tic = c.compress(test::make_test_image(40, 30));
  Bytes cut(tic.begin(), tic.end() - 9);
  CHECK_THROWS_WITH_AS(c.decompress(cut, "cut.tic"), doctest::Contains("cut.tic"), Error);
  Bytes flipped = tic;
  flipped[flipped.size() / 2] ^= 0x10;
  CHECK_THROWS_AS(c.decompress(flipped, "flip.tic"), Error);
  CHECK_THROWS_AS(c.decompress(Bytes{}, "empty.tic"), Error);
  Codec other = Codec::untrained(test::small_configs()[1], 2);
  CHECK_THROWS_WITH_AS(other.decompress(tic, "o.tic"), doctest::Contains("another model"), Error);
}

TEST_CASE("context models code in wavefronts, flagged in the header; a raster-order bitstream is refused") {
  const image::Image img = test::make_test_image(40, 30);
  for (const auto& cfg : test::small_configs()) {
    CAPTURE(cfg.arch);
    Codec c = Codec::untrained(cfg, 1);
    entropy::TicFile tic = entropy::read_tic(c.compress(img), "mem.tic");
    const bool context = cfg.arch == "mbt2018" || cfg.arch.rfind("cheng2020", 0) == 0;
    CHECK(tic.wavefront == context);
    tic.wavefront = !tic.wavefront;
    CHECK_THROWS_WITH_AS(c.decompress(entropy::write_tic(tic), "order.tic"),
                         doctest::Contains(context ? "raster order" : "wavefront"), Error);
  }
}

namespace {

// Rewrites a model file's bytes and fixes its content hash.
Bytes rehash(Bytes b) {
  uint64_t h = fnv1a64(b.data(), b.size() - 8);
  std::memcpy(b.data() + b.size() - 8, &h, 8);
  return b;
}

}  // namespace

TEST_CASE("bad model files are refused with clear errors") {
  test::TempDir dir;
  Codec c = Codec::untrained(test::small_configs()[0], 1);
  c.save(dir.file("m.tmodel"), false, false);
  Bytes good = read_file(dir.file("m.tmodel"));
  CHECK_NOTHROW(parse_model(good, "m"));

  Bytes cut(good.begin(), good.begin() + long(good.size() / 2));
  CHECK_THROWS_WITH_AS(parse_model(cut, "cut.tmodel"), doctest::Contains("truncated or corrupt"), Error);
  Bytes version = good;
  version[8] = 2;
  CHECK_THROWS_WITH_AS(parse_model(rehash(version), "v.tmodel"), doctest::Contains("unsupported model file version 2"),
                       Error);
  Bytes arch = good;
  std::string text(arch.begin(), arch.end());
  size_t at = text.find("bmshj2018-factorized");
  REQUIRE(at != std::string::npos);
  arch[at] = 'x';
  CHECK_THROWS_WITH_AS(parse_model(rehash(arch), "a.tmodel"), doctest::Contains("unknown architecture"), Error);
  Bytes magic = good;
  magic[1] = 'X';
  CHECK_THROWS_WITH_AS(parse_model(magic, "g.tmodel"), doctest::Contains("not a tiny model file"), Error);
  CHECK_THROWS_AS(Codec::from_file(dir.file("missing.tmodel")), Error);

  // the right header with tensors of another size
  Codec big = Codec::untrained({"bmshj2018-factorized", 1, 8, 16, 0.0}, 1);
  big.save(dir.file("big.tmodel"), false, false);
  ModelFile wrong = read_model_file(dir.file("big.tmodel"));
  wrong.M = 12;
  write_model_file(dir.file("wrong.tmodel"), wrong, false);
  CHECK_THROWS_WITH_AS(Codec::from_file(dir.file("wrong.tmodel")), doctest::Contains("has shape"), Error);

  CHECK_THROWS_WITH_AS(find_model("no-such-model"), doctest::Contains("not found"), Error);
  // A model that is not in any model folder is reported as not shipped; $TINY_MODELS adds a folder.
  CHECK_THROWS_WITH_AS(shipped_model("mbt2018", 2), doctest::Contains("no trained model is shipped yet"), Error);
  if (std::filesystem::exists(TINY_SOURCE_DIR "/models/mbt2018-mean-q3.tmodel")) {
    setenv("TINY_MODELS", TINY_SOURCE_DIR "/models", 1);
    CHECK(shipped_model("mbt2018-mean", 3).find("mbt2018-mean-q3.tmodel") != std::string::npos);
    CHECK(shipped_models("mbt2018-mean").size() == 4);
    unsetenv("TINY_MODELS");
  }
}

TEST_CASE("a model built and changed outside Codec is written as .tmodel and loads back") {
  test::TempDir dir;
  ArchConfig cfg = test::small_configs()[0];
  torch::manual_seed(4);
  auto model = make_model(cfg);
  {
    torch::NoGradGuard g;
    model->entropy_bottleneck->quantiles.index_put_({torch::indexing::Slice(), 0, 0}, -4.0);  // as training would
  }
  model->update();
  uint64_t hash = write_model(dir.file("t.tmodel"), *model, {{"steps", 0}}, false, false);
  Codec c = Codec::from_file(dir.file("t.tmodel"));
  CHECK(c.info().hash == hash);
  CHECK(c.info().provenance["steps"] == 0);
  image::Image img = test::make_test_image(64, 64, 2), recon;
  CHECK(c.decompress(c.compress(img, &recon), "t.tic").pixels == recon.pixels);
}

TEST_CASE("int32 tables are stored without the zeros that end their rows, and read back exactly") {
  ModelFile m;
  m.arch = "bmshj2018-factorized", m.quality = 1, m.N = 8, m.M = 8;
  const std::vector<int32_t> values = {1, 2, 0, 0, 0, /**/ 0, 0, 0, 0, 0, /**/ 7, 0, 0, 0, 65536};
  TensorRecord table{"t._quantized_cdf", DType::i32, {3, 5}, Bytes(values.size() * 4)};
  std::memcpy(table.data.data(), values.data(), table.data.size());
  m.tensors = {table};
  Bytes bytes = serialize_model(m);
  ModelFile back = parse_model(bytes, "t.tmodel");
  REQUIRE(back.tensors.size() == 1);
  CHECK(back.tensors[0].dtype == DType::i32);
  CHECK(back.tensors[0].shape == table.shape);
  CHECK(back.tensors[0].data == table.data);
  // Row counts 2, 0 and 5 with their values: 4 * (3 + 7) bytes instead of 4 * 15.
  const std::string text(bytes.begin(), bytes.end());
  const size_t name_at = text.find("t._quantized_cdf");
  REQUIRE(name_at != std::string::npos);
  const size_t data_at = name_at + table.name.size() + 2 + 2 * 4;
  CHECK(bytes.size() == data_at + 4 * 10 + 8);
  Bytes longer = bytes;
  longer[data_at] = 6;  // the first row claims 6 values in a row of 5
  CHECK_THROWS_WITH_AS(parse_model(rehash(longer), "long.tmodel"), doctest::Contains("row longer than its shape"), Error);
}

TEST_CASE("trimmed tables cannot expand a small model file into gigabytes") {
  ModelFile m;
  m.arch = "bmshj2018-factorized", m.quality = 1, m.N = 8, m.M = 8;
  // 40 tables of 100 rows x 2000 with one value per row (stored in 800 bytes, 800 kB each in memory),
  // then 32 kB of weights so that each table alone stays within its share of the file
  for (int i = 0; i < 40; ++i) {
    TensorRecord table{"t" + std::to_string(i) + "._quantized_cdf", DType::i32, {100, 2000}, Bytes(size_t(100) * 2000 * 4)};
    for (size_t r = 0; r < 100; ++r) table.data[r * 2000 * 4] = 1;
    m.tensors.push_back(std::move(table));
  }
  m.tensors.push_back({"w.weight", DType::f32, {8192}, Bytes(8192 * 4)});
  const Bytes bytes = serialize_model(m);
  CHECK(bytes.size() < 80000);
  CHECK_THROWS_WITH_AS(parse_model(bytes, "bomb.tmodel"), doctest::Contains("would expand far beyond"), Error);
  // real tables expand a few times at most and stay readable (the shipped models load in other tests)
  m.tensors.erase(m.tensors.begin() + 1, m.tensors.begin() + 40);
  CHECK_NOTHROW(parse_model(serialize_model(m), "ok.tmodel"));
}

TEST_CASE("a model header claiming huge N and M without the weights is refused before anything is built") {
  test::TempDir dir;
  ModelFile m;
  m.arch = "mbt2018-mean", m.quality = 3, m.N = 2048, m.M = 2048, m.lambda = 0.0067;
  write_model_file(dir.file("forged.tmodel"), m, false);
  CHECK(std::filesystem::file_size(dir.file("forged.tmodel")) < 1000);
  CHECK_THROWS_WITH_AS(Codec::from_file(dir.file("forged.tmodel")), doctest::Contains("holds 0 weights"), Error);
  m.N = m.M = 4096;
  write_model_file(dir.file("huge.tmodel"), m, false);
  CHECK_THROWS_WITH_AS(Codec::from_file(dir.file("huge.tmodel")), doctest::Contains("holds 0 weights"), Error);
}
