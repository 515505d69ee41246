#include "codec/codec.hpp"
#include "codec/model_file.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;
using test::run_tiny;

namespace {

// A small untrained bmshj2018-factorized model (N=8, M=12) saved as a .tmodel.
std::string small_model(const test::TempDir& dir) {
  codec::ArchConfig c = codec::zoo_config("bmshj2018-factorized", 2);
  c.N = 8, c.M = 12;
  std::string path = dir.file("small.tmodel");
  codec::Codec::untrained(c, 3).save(path, false, true);
  return path;
}

void check_same_tensors(const std::string& a, const std::string& b) {
  codec::ModelFile x = codec::read_model_file(a), y = codec::read_model_file(b);
  CHECK(x.arch == y.arch);
  CHECK(x.quality == y.quality);
  REQUIRE(x.tensors.size() == y.tensors.size());
  for (size_t i = 0; i < x.tensors.size(); ++i) {
    CHECK(x.tensors[i].name == y.tensors[i].name);
    CHECK(x.tensors[i].data == y.tensors[i].data);
  }
}

}  // namespace

TEST_CASE("tiny convert: .tmodel -> CompressAI checkpoint -> .tmodel keeps every tensor") {
  test::TempDir dir;
  std::string model = small_model(dir);
  auto out = run_tiny("convert " + model + " --to compressai -o " + dir.file("m.pth"));
  REQUIRE(out.exit_code == 0);
  CHECK(out.out.find("compressai") != std::string::npos);
  auto in = run_tiny("convert " + dir.file("m.pth") + " --quality 2 --json -o " + dir.file("back.tmodel"));
  REQUIRE(in.exit_code == 0);
  Json j = parse_json(in.out, "stdout")["models"][0];
  CHECK(j["from"] == "compressai");
  CHECK(j["arch"] == "bmshj2018-factorized");
  CHECK(j["N"] == 8);
  CHECK(j["M"] == 12);
  check_same_tensors(model, dir.file("back.tmodel"));
}

TEST_CASE("tiny convert: safetensors keep arch and quality in their metadata") {
  test::TempDir dir;
  std::string model = small_model(dir);
  REQUIRE(run_tiny("convert " + model + " --to safetensors -o " + dir.file("m.safetensors") + " -q").exit_code == 0);
  auto back = run_tiny("convert " + dir.file("m.safetensors") + " -o " + dir.file("back.tmodel") + " --json");
  REQUIRE(back.exit_code == 0);
  CHECK(parse_json(back.out, "stdout")["models"][0]["from"] == "safetensors");
  check_same_tensors(model, dir.file("back.tmodel"));
  auto half = run_tiny("convert " + model + " --half -o " + dir.file("half.tmodel") + " --json");
  REQUIRE(half.exit_code == 0);
  CHECK(int64_t(parse_json(half.out, "stdout")["models"][0]["bytes_out"]) < int64_t(std::filesystem::file_size(model)));
}

TEST_CASE("tiny convert: a zoo file name gives the quality; without one, an ambiguous N/M asks for --quality") {
  test::TempDir dir;
  codec::Codec::untrained(codec::zoo_config("bmshj2018-factorized", 3), 1).save(dir.file("q3.tmodel"), false, true);
  REQUIRE(run_tiny("convert " + dir.file("q3.tmodel") + " --to compressai -o " +
                   dir.file("bmshj2018-factorized-3-deadbeef.pth.tar") + " -q").exit_code == 0);
  std::filesystem::copy_file(dir.file("bmshj2018-factorized-3-deadbeef.pth.tar"), dir.file("anon.pth"));
  auto named = run_tiny("convert " + dir.file("bmshj2018-factorized-3-deadbeef.pth.tar") + " --json -o " + dir.file("a.tmodel"));
  REQUIRE(named.exit_code == 0);
  CHECK(parse_json(named.out, "stdout")["models"][0]["quality"] == 3);
  auto anon = run_tiny("convert " + dir.file("anon.pth") + " -o " + dir.file("b.tmodel"));
  CHECK(anon.exit_code == 2);
  CHECK(anon.err.find("fits 5 zoo qualities (1, 2, 3, 4, 5); pass --quality") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("b.tmodel")));
}

TEST_CASE("tiny convert: bad input is refused on one line without writing the output") {
  test::TempDir dir;
  std::string model = small_model(dir);
  REQUIRE(run_tiny("convert " + model + " --to compressai -o " + dir.file("m.pth") + " -q").exit_code == 0);
  Bytes data = read_file(dir.file("m.pth"));
  data.resize(data.size() / 2);
  write_file_atomic(dir.file("cut.pth"), data, false);
  auto cut = run_tiny("convert " + dir.file("cut.pth") + " --quality 2 -o " + dir.file("x.tmodel"));
  CHECK(cut.exit_code == 1);
  CHECK(cut.err.find(dir.file("cut.pth") + ": corrupt or refused zip checkpoint: no zip end record") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("x.tmodel")));

  write_file_atomic(dir.file("junk.bin"), std::string("hello world, not a model"), false);
  auto junk = run_tiny("convert " + dir.file("junk.bin") + " -o " + dir.file("x.tmodel"));
  CHECK(junk.exit_code == 1);
  CHECK(junk.err.find("not a .tmodel, torch zip checkpoint or safetensors file") != std::string::npos);

  auto exists = run_tiny("convert " + model + " -o " + model);
  CHECK(exists.exit_code == 1);
  CHECK(run_tiny("convert " + model + " --to onnx -o " + dir.file("x.onnx")).exit_code == 2);
  auto arch = run_tiny("convert " + dir.file("m.pth") + " --arch mbt2018 --quality 2 -o " + dir.file("x.tmodel"));
  CHECK(arch.exit_code == 1);
  CHECK(arch.err.find("state_dict does not fit mbt2018 lacks tensor") != std::string::npos);
}

TEST_CASE("tiny convert --low-rank-energy: per-layer report, recorded in the model's provenance") {
  test::TempDir dir;
  std::string model = small_model(dir);
  auto r = run_tiny("convert " + model + " --low-rank-energy 0.7 --report -o " + dir.file("lr.tmodel"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("g_s.2.weight") != std::string::npos);
  CHECK(r.out.find("low rank (energy 0.7)") != std::string::npos);
  auto json = run_tiny("convert " + model + " --low-rank-energy 0.7 --json -o " + dir.file("lr2.tmodel"));
  REQUIRE(json.exit_code == 0);
  Json j = parse_json(json.out, "stdout")["models"][0];
  CHECK(j["low_rank"]["layers"].size() == 8);
  auto info = run_tiny("info --json " + dir.file("lr2.tmodel"));
  REQUIRE(info.exit_code == 0);
  CHECK(parse_json(info.out, "stdout")["files"][0]["provenance"]["low_rank"]["params_saved"] == j["low_rank"]["params_saved"]);
  CHECK(run_tiny("convert " + model + " --low-rank-energy 1.5 -o " + dir.file("x.tmodel")).exit_code == 2);
}

TEST_CASE("tiny convert --quantize: int8 and q4 models are smaller, load, and tiny info shows them") {
  test::TempDir dir;
  std::string model = small_model(dir);
  for (const std::string q : {"int8", "q4"}) {
    CAPTURE(q);
    const std::string out = dir.file(q + ".tmodel");
    auto r = run_tiny("convert " + model + " --quantize " + q + " --json -o " + out);
    REQUIRE(r.exit_code == 0);
    Json j = parse_json(r.out, "stdout")["models"][0];
    CHECK(j["quantized"]["type"] == q);
    CHECK(j["bytes_out"].get<uint64_t>() < j["bytes_in"].get<uint64_t>());
    auto info = run_tiny("info --json " + out);
    REQUIRE(info.exit_code == 0);
    CHECK(parse_json(info.out, "stdout")["files"][0]["weights"] == q);
    image::write_image(dir.file("a.png"), test::make_test_image(64, 48, 2), true);
    auto c = run_tiny("compress -m " + out + " " + dir.file("a.png") + " --force -o " + dir.file("a.tic"));
    CHECK(c.exit_code == 0);
    auto d = run_tiny("decompress -m " + out + " " + dir.file("a.tic") + " --force -o " + dir.file("b.png"));
    CHECK(d.exit_code == 0);
  }
  auto bad = run_tiny("convert " + model + " --quantize int8 --to compressai -o " + dir.file("x.pth"));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find(".tmodel") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("x.pth")));
  auto back = run_tiny("convert " + dir.file("int8.tmodel") + " --to compressai -o " + dir.file("deq.pth"));
  CHECK(back.exit_code == 0);  // exported dequantized, as float32
}

TEST_CASE("tiny convert --quantize on a quantized model requantizes its weights and says how many") {
  test::TempDir dir;
  std::string model = small_model(dir);
  auto i8 = run_tiny("convert " + model + " --quantize int8 --json -o " + dir.file("int8.tmodel"));
  REQUIRE(i8.exit_code == 0);
  const size_t weights = parse_json(i8.out, "stdout")["models"][0]["quantized"]["tensors"];
  REQUIRE(weights > 0);

  auto q4 = run_tiny("convert " + dir.file("int8.tmodel") + " --quantize q4 --json -o " + dir.file("q4.tmodel"));
  REQUIRE(q4.exit_code == 0);
  Json j = parse_json(q4.out, "stdout")["models"][0]["quantized"];
  CHECK(j["type"] == "q4");
  CHECK(j["tensors"] == weights);
  CHECK(j["requantized"] == weights);
  CHECK(j["unchanged"] == 0);
  auto info = run_tiny("info --json " + dir.file("q4.tmodel"));
  REQUIRE(info.exit_code == 0);
  CHECK(parse_json(info.out, "stdout")["files"][0]["weights"] == "q4");
  CHECK(parse_json(info.out, "stdout")["files"][0]["provenance"]["quantized"] == "q4");

  auto same = run_tiny("convert " + dir.file("int8.tmodel") + " --quantize int8 -o " + dir.file("same.tmodel"));
  REQUIRE(same.exit_code == 0);
  CHECK(same.out.find("0 transform weights converted to int8 (0 of them requantized from quantized weights), " +
                      std::to_string(weights) + " already int8") != std::string::npos);
}

TEST_CASE("tiny convert several models into a folder, with --eval: sizes, RD points and BD-rate against the originals") {
  test::TempDir dir, images;
  for (int quality : {1, 2}) {
    codec::ArchConfig c = codec::zoo_config("mbt2018-mean", quality);
    c.N = 8, c.M = 12;
    codec::Codec::untrained(c, uint64_t(quality)).save(dir.file("m" + std::to_string(quality) + ".tmodel"), true, false);
  }
  image::write_image(images.file("a.png"), test::make_test_image(176, 168, 1), false);
  image::write_image(images.file("b.png"), test::make_test_image(192, 176, 2), false);
  const std::string models = dir.file("m1.tmodel") + " " + dir.file("m2.tmodel");
  auto r = run_tiny("convert " + models + " --quantize int8 -o " + dir.file("out") + " --eval " + images.path().string() +
                    " --json");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  REQUIRE(j["models"].size() == 2);
  CHECK(std::filesystem::exists(dir.file("out/m1.tmodel")));
  CHECK(std::filesystem::exists(dir.file("out/m2.tmodel")));
  const Json& eval = j["eval"];
  CHECK(eval["images"] == 2);
  REQUIRE(eval["codecs"].size() == 2);
  CHECK(eval["codecs"][1]["codec"] == "converted");
  REQUIRE(eval["bd"].size() == 1);
  CHECK(eval["bd"][0]["name"] == "converted");

  auto table = run_tiny("convert " + models + " --quantize q4 -o " + dir.file("q4") + " --eval " + images.path().string());
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("smaller) on 2 images") != std::string::npos);

  auto f32 = run_tiny("convert " + dir.file("m1.tmodel") + " --float32 -o " + dir.file("f32.tmodel"));
  REQUIRE(f32.exit_code == 0);
  CHECK(std::filesystem::file_size(dir.file("f32.tmodel")) > std::filesystem::file_size(dir.file("m1.tmodel")));
  CHECK(run_tiny("convert " + dir.file("m1.tmodel") + " --float32 --half -o " + dir.file("x.tmodel")).exit_code == 2);

  auto not_tmodel = run_tiny("convert " + models + " --to safetensors -o " + dir.file("st") + " --eval " +
                             images.path().string());
  CHECK(not_tmodel.exit_code == 2);
  CHECK(not_tmodel.err.find("--eval") != std::string::npos);
}
