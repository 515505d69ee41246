// tiny compress --target-bpp / --target-psnr / --target-size with a small random variable-rate model,
// and folders as inputs of compress, decompress and info.
#include "codec/codec.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

using namespace tiny;
using test::run_tiny;

namespace {

// A small random variable-rate model saved as dir/vr.tmodel; " -m <it>" for the command line.
std::string small_vr(const test::TempDir& dir) {
  codec::Codec::untrained({"mbt2018-mean-vr", codec::kVariableRateLevels, 8, 12, 0.0130}, 2)
      .save(dir.file("vr.tmodel"), false, false);
  return " -m " + dir.file("vr.tmodel");
}

// The size of the image's bitstream at a fixed quality, by the CLI.
double size_at(const std::string& model, const std::string& image, double quality) {
  auto r = run_tiny(fmt::format("compress{} {} -o - --quality {} --json", model, image, quality));
  REQUIRE(r.exit_code == 0);
  return double(r.out.size());
}

std::string bytes_string(const Bytes& b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

}  // namespace

TEST_CASE("--target-size and --target-bpp meet the target within 2 % and report the chosen quality") {
  test::TempDir dir;
  const std::string m = small_vr(dir);
  image::write_image(dir.file("a.png"), test::make_test_image(200, 150, 3), false);
  const double bytes = size_at(m, dir.file("a.png"), 2.2);

  auto r = run_tiny(fmt::format("compress{} {} --target-size {:.0f} --json", m, dir.file("a.png"), bytes));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"][0];
  CHECK(std::abs(double(j["bytes"]) / bytes - 1) <= 0.02);
  CHECK(double(j["bytes"]) == double(read_file(dir.file("a.tic")).size()));
  CHECK(j["rate_control"]["status"] == "met");
  CHECK(j["rate_control"]["target"] == "size");
  CHECK(int(j["rate_control"]["probes"]) >= 1);
  const double q = j["quality"];
  CHECK(q >= 0.0);
  CHECK(q <= 6.0);
  // The bitstream records the chosen quality and decodes.
  auto info = run_tiny("info --json " + dir.file("a.tic"));
  REQUIRE(info.exit_code == 0);
  CHECK(double(parse_json(info.out, "stdout")["files"][0]["quality"]) == doctest::Approx(q));
  CHECK(run_tiny("decompress" + m + " " + dir.file("a.tic")).exit_code == 0);

  // The same target as bits per pixel, and the table's quality column.
  const double bpp = bytes * 8 / (200.0 * 150.0);
  r = run_tiny(fmt::format("compress{} {} -o {} --target-bpp {} --metrics", m, dir.file("a.png"), dir.file("b.tic"), bpp));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("quality") != std::string::npos);
  CHECK(r.out.find("PSNR") != std::string::npos);
  CHECK(std::abs(double(read_file(dir.file("b.tic")).size()) / bytes - 1) <= 0.02);
}

TEST_CASE("--quality 0 is the variable-rate model's lowest rate, not the default; a negative quality is refused") {
  test::TempDir dir;
  const std::string m = small_vr(dir);
  image::write_image(dir.file("a.png"), test::make_test_image(160, 120, 6), false);
  auto r = run_tiny(fmt::format("compress{} {} -o {} --quality 0 --json", m, dir.file("a.png"), dir.file("a.tic")));
  REQUIRE(r.exit_code == 0);
  CHECK(double(parse_json(r.out, "stdout")["files"][0]["quality"]) == 0.0);
  CHECK(double(read_file(dir.file("a.tic")).size()) < size_at(m, dir.file("a.png"), 3));
  CHECK(run_tiny("decompress" + m + " " + dir.file("a.tic")).exit_code == 0);
  CHECK(run_tiny(fmt::format("compress{} {} -o - --quality -1", m, dir.file("a.png"))).exit_code == 2);
}

TEST_CASE("rate control in batches (each image its own search), folders and pipes") {
  test::TempDir dir;
  const std::string m = small_vr(dir);
  std::filesystem::create_directories(dir.file("in/sub"));
  image::write_image(dir.file("in/a.png"), test::make_test_image(128, 128, 4), false);
  image::write_image(dir.file("in/sub/b.png"), test::make_test_image(256, 192, 5), false);
  write_file_atomic(dir.file("in/notes.txt"), std::string_view("not an image"), false);
  const double bpp = 8 * size_at(m, dir.file("in/a.png"), 3.1) / (128.0 * 128.0);

  auto r = run_tiny(fmt::format("compress{} {} -o {} --target-bpp {} --json", m, dir.file("in"), dir.file("out"), bpp));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"];
  REQUIRE(j.size() == 2);
  CHECK(j[0]["output"] == dir.file("out/a.tic"));
  CHECK(j[1]["output"] == dir.file("out/sub/b.tic"));
  // a.png reaches the target (it was measured there); b.png meets it too, or is coded at a quality limit.
  CHECK(j[0]["rate_control"]["status"] == "met");
  for (const Json& e : j) {
    if (e["rate_control"]["status"] == "met")
      CHECK(std::abs(double(e["bpp"]) / bpp - 1) <= 0.02);
    else
      CHECK((e["quality"] == 0.0 || e["quality"] == 6.0));
  }
  // Two different images: two searches, two qualities.
  CHECK(double(j[0]["quality"]) != double(j[1]["quality"]));

  // A folder of bitstreams decodes into the same tree; info lists the bitstreams of a folder.
  r = run_tiny("decompress" + m + " " + dir.file("out") + " -o " + dir.file("rec") + " --json");
  REQUIRE(r.exit_code == 0);
  CHECK(std::filesystem::exists(dir.file("rec/a.dec.png")));
  CHECK(std::filesystem::exists(dir.file("rec/sub/b.dec.png")));
  r = run_tiny("info --json " + dir.file("out"));
  REQUIRE(r.exit_code == 0);
  CHECK(parse_json(r.out, "stdout")["files"].size() == 2);

  // Pipes: the bitstream on stdout, the report on stderr; info reads stdin too.
  const std::string png = bytes_string(read_file(dir.file("in/a.png")));
  r = run_tiny(fmt::format("compress{} - --target-bpp {} --json", m, bpp), png);
  REQUIRE(r.exit_code == 0);
  CHECK(std::abs(double(r.out.size()) * 8 / (128.0 * 128.0) / bpp - 1) <= 0.02);
  CHECK(parse_json(r.err, "stderr")["files"][0]["rate_control"]["status"] == "met");
  auto info = run_tiny("info --json -", r.out);
  REQUIRE(info.exit_code == 0);
  CHECK(parse_json(info.out, "stdout")["files"][0]["type"] == "bitstream");
  CHECK(run_tiny("decompress" + m + " -", r.out).exit_code == 0);
  info = run_tiny("info --json -", png);
  REQUIRE(info.exit_code == 0);
  CHECK(parse_json(info.out, "stdout")["files"][0]["width"] == 128);
}

TEST_CASE("an unreachable target is coded at the quality limit with a warning; a PSNR target reports PSNR") {
  test::TempDir dir;
  const std::string m = small_vr(dir);
  image::write_image(dir.file("a.png"), test::make_test_image(96, 96, 6), false);
  auto r = run_tiny("compress" + m + " " + dir.file("a.png") + " --target-size 10 --json");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"][0];
  CHECK(j["rate_control"]["status"] == "below range");
  CHECK(j["quality"] == 1.0);
  CHECK(r.err.find("infeasible") != std::string::npos);
  CHECK(r.err.find("a.png") != std::string::npos);

  r = run_tiny("compress" + m + " " + dir.file("a.png") + " --target-size 1M --force --json");
  REQUIRE(r.exit_code == 0);
  CHECK(parse_json(r.out, "stdout")["files"][0]["rate_control"]["status"] == "above range");
  CHECK(parse_json(r.out, "stdout")["files"][0]["quality"] == 6.0);

  r = run_tiny("compress" + m + " " + dir.file("a.png") + " --target-psnr 12 --metrics --force --json");
  REQUIRE(r.exit_code == 0);
  j = parse_json(r.out, "stdout")["files"][0];
  CHECK(j["rate_control"]["target"] == "psnr");
  CHECK(double(j["rate_control"]["measure"]) == doctest::Approx(double(j["psnr"])));
}

TEST_CASE("rate-control options: bad values, conflicts, fixed-rate model files, config keys") {
  test::TempDir dir;
  const std::string m = small_vr(dir);
  image::write_image(dir.file("a.png"), test::make_test_image(64, 64, 7), false);
  const std::string a = " " + dir.file("a.png");
  for (const std::string bad : {" --target-size 40x", " --target-size -3k", " --target-bpp 0", " --target-psnr -2",
                                " --target-bpp 0.3 --target-size 4k", " --target-psnr 30 --quality 2",
                                " --target-bpp 0.2 --target-psnr 30"}) {
    CAPTURE(bad);
    auto r = run_tiny("compress" + m + a + bad);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(!std::filesystem::exists(dir.file("a.tic")));
  }
  codec::Codec::untrained({"mbt2018-mean", 2, 8, 12, 0.0035}, 1).save(dir.file("fixed.tmodel"), false, false);
  auto r = run_tiny("compress -m " + dir.file("fixed.tmodel") + a + " --target-bpp 0.5");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("fixed-rate") != std::string::npos);

  write_file_atomic(dir.file("c.json"), std::string_view(R"({"target-size": "2k"})"), false);
  r = run_tiny("compress" + m + a + " --config " + dir.file("c.json") + " --print-config");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(parse_json(r.out, "stdout")["target-size"] == "2k");
  r = run_tiny("compress" + m + a + " --config " + dir.file("c.json") + " --json");
  REQUIRE(r.exit_code == 0);
  CHECK(parse_json(r.out, "stdout")["files"][0]["rate_control"]["value"] == 2000);
}

TEST_CASE("a fixed-rate architecture's levels are searched in turn (--untrained)") {
  test::TempDir dir;
  image::write_image(dir.file("a.png"), test::make_test_image(64, 64, 8), false);
  auto r = run_tiny("compress --untrained --arch bmshj2018-factorized " + dir.file("a.png") + " --target-size 1k --json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"][0];
  CHECK(j["model"] == "bmshj2018-factorized");
  const double q = j["quality"];
  CHECK(q == std::round(q));
  CHECK(int(j["rate_control"]["probes"]) <= 8);
  CHECK(run_tiny("decompress --untrained --arch bmshj2018-factorized " + dir.file("a.tic")).exit_code == 0);
}
