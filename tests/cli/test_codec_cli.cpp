// tiny compress / tiny decompress end to end with a small random model saved to a temporary file.
#include "codec/codec.hpp"
#include "core/json_file.hpp"
#include "entropy/container.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/metrics.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sys/resource.h>
#include <sys/wait.h>

using namespace tiny;
using test::run_tiny;

namespace {

// A small mbt2018-mean model in dir/m.tmodel, and the codec it loads as.
codec::Codec small_model(const test::TempDir& dir, const std::string& file = "m.tmodel", uint64_t seed = 1) {
  codec::Codec::untrained({"mbt2018-mean", 2, 8, 12, 0.0035}, seed).save(dir.file(file), false, false);
  return codec::Codec::from_file(dir.file(file));
}

}  // namespace

TEST_CASE("compress then decompress reproduces the encoder's reconstruction, files and pipes") {
  test::TempDir dir;
  codec::Codec c = small_model(dir);
  image::Image img = test::make_test_image(83, 61, 2), recon;
  Bytes expected = c.compress(img, &recon);
  image::write_image(dir.file("a.png"), img, false);
  std::string m = " -m " + dir.file("m.tmodel");

  auto r = run_tiny("compress" + m + " " + dir.file("a.png") + " --json --metrics");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"];
  CHECK(j[0]["bytes"] == expected.size());
  CHECK(j[0]["output"] == dir.file("a.tic"));
  CHECK(j[0].contains("psnr"));
  CHECK(j[0].contains("ms_ssim"));
  CHECK(read_file(dir.file("a.tic")) == expected);

  r = run_tiny("decompress" + m + " " + dir.file("a.tic") + " -o " + dir.file("b.png"));
  REQUIRE(r.exit_code == 0);
  CHECK(image::read_image(dir.file("b.png")).pixels == recon.pixels);

  // pipes: tiny compress - < a.png | tiny decompress - > b.png
  auto enc = run_tiny("compress" + m + " -", std::string(reinterpret_cast<const char*>(read_file(dir.file("a.png")).data()),
                                                         read_file(dir.file("a.png")).size()));
  REQUIRE(enc.exit_code == 0);
  CHECK(Bytes(enc.out.begin(), enc.out.end()) == expected);
  auto dec = run_tiny("decompress" + m + " -", enc.out);
  REQUIRE(dec.exit_code == 0);
  CHECK(image::decode_image(Bytes(dec.out.begin(), dec.out.end()), "stdout").pixels == recon.pixels);
}

TEST_CASE("compress is byte-identical across runs and thread counts, batches go to a folder") {
  test::TempDir dir;
  small_model(dir);
  image::write_image(dir.file("a.png"), test::make_test_image(64, 70, 4), false);
  image::write_image(dir.file("b.png"), test::make_test_image(30, 20, 5), false);
  std::string m = " -m " + dir.file("m.tmodel");
  auto r1 = run_tiny("compress --threads 1" + m + " " + dir.file("a.png") + " " + dir.file("b.png") + " -o " +
                     dir.file("t1") + " --json");
  auto r2 = run_tiny("compress --threads 2" + m + " " + dir.file("a.png") + " " + dir.file("b.png") + " -o " +
                     dir.file("t2") + " --json");
  REQUIRE(r1.exit_code == 0);
  REQUIRE(r2.exit_code == 0);
  CHECK(parse_json(r1.out, "stdout")["files"].size() == 2);
  for (const char* name : {"a.tic", "b.tic"})
    CHECK(read_file(dir.file(std::string("t1/") + name)) == read_file(dir.file(std::string("t2/") + name)));
  auto d = run_tiny("decompress --threads 1" + m + " " + dir.file("t2/a.tic") + " " + dir.file("t2/b.tic") + " -o " +
                    dir.file("png") + " --json");
  REQUIRE(d.exit_code == 0);
  CHECK(image::read_image(dir.file("png/b.dec.png")).width == 30);
}

TEST_CASE("default output names never name an input: photo.tic decodes to photo.dec.png") {
  test::TempDir dir;
  small_model(dir);
  image::write_image(dir.file("photo.png"), test::make_test_image(40, 30, 3), false);
  const Bytes source = read_file(dir.file("photo.png"));
  std::string m = " -m " + dir.file("m.tmodel");
  REQUIRE(run_tiny("compress" + m + " " + dir.file("photo.png")).exit_code == 0);
  auto d = run_tiny("decompress" + m + " " + dir.file("photo.tic") + " --json");
  REQUIRE(d.exit_code == 0);
  CHECK(parse_json(d.out, "stdout")["files"][0]["output"] == dir.file("photo.dec.png"));
  CHECK(image::read_image(dir.file("photo.dec.png")).width == 40);
  CHECK(read_file(dir.file("photo.png")) == source);
  // Again with --force: the source image is still not the target.
  REQUIRE(run_tiny("decompress --force" + m + " " + dir.file("photo.tic")).exit_code == 0);
  CHECK(read_file(dir.file("photo.png")) == source);

  // An image whose name ends in .tic would be compressed onto itself: refused, the file untouched.
  write_file_atomic(dir.file("odd.tic"), source, false);
  auto odd = run_tiny("compress --force" + m + " " + dir.file("odd.tic"));
  CHECK(odd.exit_code == 1);
  CHECK(odd.err.find("odd.tic: its default output name is its own name") != std::string::npos);
  CHECK(read_file(dir.file("odd.tic")) == source);
}

TEST_CASE("decompress writes the format the output's extension names, stdout stays PNG") {
  test::TempDir dir;
  codec::Codec c = small_model(dir);
  image::Image img = test::make_test_image(70, 50, 6), recon;
  write_file_atomic(dir.file("a.tic"), c.compress(img, &recon), false);
  std::string d = "decompress -m " + dir.file("m.tmodel") + " " + dir.file("a.tic") + " -o ";
  for (const char* name : {"rec.png", "rec.ppm", "rec.webp"}) {
    REQUIRE(run_tiny(d + dir.file(name)).exit_code == 0);
    CHECK(image::read_image(dir.file(name)).pixels == recon.pixels);
  }
  CHECK(image::probe_file(dir.file("rec.ppm")).format == image::Format::pnm);
  CHECK(image::probe_file(dir.file("rec.webp")).format == image::Format::webp);
  REQUIRE(run_tiny(d + dir.file("rec.jpg")).exit_code == 0);
  REQUIRE(run_tiny(d + dir.file("low.JPEG") + " --jpeg-quality 40").exit_code == 0);
  CHECK(image::probe_file(dir.file("rec.jpg")).format == image::Format::jpeg);
  CHECK(image::probe_file(dir.file("low.JPEG")).format == image::Format::jpeg);
  CHECK(std::filesystem::file_size(dir.file("low.JPEG")) < std::filesystem::file_size(dir.file("rec.jpg")));
  CHECK(image::psnr(recon, image::read_image(dir.file("rec.jpg"))) > 35);

  auto gif = run_tiny(d + dir.file("rec.gif"));
  CHECK(gif.exit_code == 2);
  CHECK(gif.err == "tiny: error: " + dir.file("rec.gif") +
                       ": cannot write images as '.gif' (supported: .png, .ppm, .jpg, .jpeg, .webp)\n");
  CHECK(!std::filesystem::exists(dir.file("rec.gif")));
  CHECK(run_tiny(d + dir.file("q.jpg") + " --jpeg-quality 0").exit_code == 2);
}

TEST_CASE("compress and decompress refuse bad input with one line and no output") {
  test::TempDir dir;
  small_model(dir);
  small_model(dir, "other.tmodel", 2);
  image::write_image(dir.file("a.png"), test::make_test_image(40, 40, 4), false);
  std::string m = " -m " + dir.file("m.tmodel");
  REQUIRE(run_tiny("compress" + m + " " + dir.file("a.png")).exit_code == 0);

  auto other = run_tiny("decompress -m " + dir.file("other.tmodel") + " " + dir.file("a.tic") + " -o " + dir.file("o.png"));
  CHECK(other.exit_code == 1);
  CHECK(other.err.find("another model") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("o.png")));

  Bytes tic = read_file(dir.file("a.tic"));
  write_file_atomic(dir.file("cut.tic"), Bytes(tic.begin(), tic.end() - 7), false);
  auto cut = run_tiny("decompress" + m + " " + dir.file("cut.tic"));
  CHECK(cut.exit_code == 1);
  CHECK(cut.err.find("cut.tic") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("cut.dec.png")));

  auto again = run_tiny("compress" + m + " " + dir.file("a.png"));
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("already exists") != std::string::npos);

  auto arch = run_tiny("compress --arch nope --quality 1 --untrained " + dir.file("a.png") + " -o " + dir.file("x.tic"));
  CHECK(arch.exit_code == 2);
  CHECK(arch.err.find("unknown architecture") != std::string::npos);

  if (!std::filesystem::exists(TINY_SOURCE_DIR "/models/mbt2018-q2.tmodel")) {  // until trained models ship
    auto shipped = run_tiny("compress --arch mbt2018 --quality 2 " + dir.file("a.png") + " -o " + dir.file("x.tic"));
    CHECK(shipped.exit_code == 1);
    CHECK(shipped.err.find("no trained model is shipped yet") != std::string::npos);
  }

  // A truncated PNG: tiny's one line names the file, and no decoder library prints a line before it.
  Bytes png = read_file(dir.file("a.png"));
  write_file_atomic(dir.file("cut.png"), Bytes(png.begin(), png.begin() + long(png.size()) * 2 / 3), false);
  auto cut_png = run_tiny("compress" + m + " " + dir.file("cut.png") + " -o " + dir.file("cut_png.tic"));
  CHECK(cut_png.exit_code == 1);
  CHECK(cut_png.err.rfind("tiny: error: " + dir.file("cut.png") + ": cannot decode png", 0) == 0);
  CHECK(std::count(cut_png.err.begin(), cut_png.err.end(), '\n') == 1);

  write_file_atomic(dir.file("bad.tmodel"), std::string("\x89TMOD\r\n\x1a garbage"), false);
  auto bad = run_tiny("compress -m " + dir.file("bad.tmodel") + " " + dir.file("a.png") + " -o " + dir.file("y.tic"));
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("bad.tmodel") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("y.tic")));
}

TEST_CASE("tiny info describes a model file") {
  test::TempDir dir;
  codec::Codec c = small_model(dir);
  auto r = run_tiny("info --json " + dir.file("m.tmodel"));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"];
  CHECK(j[0]["type"] == "model");
  CHECK(j[0]["arch"] == "mbt2018-mean");
  CHECK(j[0]["N"] == 8);
  CHECK(j[0]["M"] == 12);
  CHECK(j[0]["hash"] == codec::hash_hex(c.info().hash));
  CHECK(j[0]["provenance"]["untrained"] == true);
  auto t = run_tiny("info " + dir.file("m.tmodel"));
  CHECK(t.exit_code == 0);
  CHECK(t.out.find("mbt2018-mean") != std::string::npos);
}

// The largest resident set of the children this process has waited for, in bytes.
size_t children_peak_memory() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return size_t(usage.ru_maxrss) * 1024;
}

TEST_CASE("a 4000x3000 photo compresses and decompresses in under 1 GB, tile by tile") {
#if defined(__SANITIZE_ADDRESS__)
  MESSAGE("skipped: AddressSanitizer's shadow memory inflates the resident set this test bounds");
#else
  test::TempDir dir;
  image::write_image(dir.file("big.png"), test::make_test_image(4000, 3000, 1), false);
  const std::string model = " --untrained --arch mbt2018-mean --quality 3 ";
  auto c = run_tiny("compress" + model + dir.file("big.png") + " -o " + dir.file("big.tic"));
  REQUIRE(c.exit_code == 0);
  auto d = run_tiny("decompress" + model + dir.file("big.tic") + " -o " + dir.file("back.png"));
  REQUIRE(d.exit_code == 0);
  CHECK(image::read_image(dir.file("back.png")).width == 4000);
  const size_t peak = children_peak_memory();
  MESSAGE("largest resident set of compress and decompress: " << (peak >> 20) << " MB");
  CHECK(peak < (size_t(1) << 30));
#endif
}

TEST_CASE("the shipped default model (mbt2018-mean q3) codes an image without -m") {
  if (!std::filesystem::exists(TINY_SOURCE_DIR "/models/mbt2018-mean-q3.tmodel")) {
    MESSAGE("skipped: models/mbt2018-mean-q3.tmodel is not in this checkout");
    return;
  }
  test::TempDir dir;
  image::write_image(dir.file("a.png"), test::make_test_image(96, 64, 4), false);
  auto c = run_tiny("compress --json --metrics " + dir.file("a.png") + " -o " + dir.file("a.tic"));
  REQUIRE(c.exit_code == 0);
  Json r = parse_json(c.out, "stdout")["files"][0];
  CHECK(r["model"] == "mbt2018-mean");
  CHECK(r["quality"] == 3);
  CHECK(r["psnr"].get<double>() > 20);
  auto d = run_tiny("decompress " + dir.file("a.tic") + " -o " + dir.file("b.png"));
  CHECK(d.exit_code == 0);
  auto info = run_tiny("info --json " TINY_SOURCE_DIR "/models/mbt2018-mean-q3.tmodel");
  REQUIRE(info.exit_code == 0);
  CHECK(parse_json(info.out, "stdout")["files"][0]["provenance"]["trainer"] == "tiny train");
}

TEST_CASE("a bitstream naming an unknown model fails alone: the rest of the batch decodes, exit 1") {
  test::TempDir dir;
  // a shipped model, found from the bitstream's own header as users decode
  codec::Codec c = codec::Codec::from_file(std::string(TINY_SOURCE_DIR) + "/models/mbt2018-mean-q1.tmodel");
  const Bytes good = c.compress(test::make_test_image(64, 48, 3));
  write_file_atomic(dir.file("good.tic"), good, false);
  write_file_atomic(dir.file("good2.tic"), good, false);
  entropy::TicFile forged = entropy::read_tic(good, "good.tic");
  forged.quality = 99;
  write_file_atomic(dir.file("q99.tic"), entropy::write_tic(forged), false);
  forged.quality = 1, forged.arch = "no-such-arch";
  write_file_atomic(dir.file("arch.tic"), entropy::write_tic(forged), false);
  auto r = run_tiny(fmt::format("decompress {0}/good.tic {0}/q99.tic {0}/arch.tic {0}/good2.tic -o {0}/out/ --json",
                                dir.path().string()));
  CHECK(r.exit_code == 1);
  const Json j = parse_json(r.out, "stdout")["files"];
  REQUIRE(j.size() == 4);
  CHECK(j[1]["error"].get<std::string>().find("q99.tic") != std::string::npos);
  CHECK(j[2]["error"].get<std::string>().find("arch.tic") != std::string::npos);
  CHECK(std::filesystem::exists(dir.file("out/good2.dec.png")));
}

TEST_CASE("decompress honours the header's colour format: a gray8 bitstream decodes to a grey picture") {
  test::TempDir dir;
  codec::Codec c = small_model(dir);
  entropy::TicFile tic = entropy::read_tic(c.compress(test::make_test_image(64, 48, 3)), "a.tic");
  write_file_atomic(dir.file("rgb.tic"), entropy::write_tic(tic), false);
  tic.color = entropy::ColorFormat::gray8;
  write_file_atomic(dir.file("gray.tic"), entropy::write_tic(tic), false);
  std::string m = " -m " + dir.file("m.tmodel") + " ";
  REQUIRE(run_tiny("decompress" + m + dir.file("rgb.tic") + " -o " + dir.file("rgb.png")).exit_code == 0);
  REQUIRE(run_tiny("decompress" + m + dir.file("gray.tic") + " -o " + dir.file("gray.png")).exit_code == 0);
  image::Image rgb = image::read_image(dir.file("rgb.png")), gray = image::read_image(dir.file("gray.png"));
  bool coloured = false;
  for (size_t i = 0; i < rgb.pixels.size(); i += 3) coloured |= rgb.pixels[i] != rgb.pixels[i + 1];
  CHECK(coloured);
  for (size_t i = 0; i < gray.pixels.size(); i += 3) {
    CHECK(gray.pixels[i] == gray.pixels[i + 1]);
    CHECK(gray.pixels[i] == gray.pixels[i + 2]);
    if (gray.pixels[i] != gray.pixels[i + 1]) break;
  }
}
