// The contract every command keeps with real data (issue 21): lists compressed or on stdin, names and
// captions that are not UTF-8, batches that partly fail, --json documents of one shape with a version,
// -q, and the ingest options img2dataset users rely on.
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "ingest/sample_hash.hpp"
#include "../ingest/ingest_fixtures.hpp"
#include "../video/video_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>

using namespace tiny;
using test::run_tiny;
namespace fs = std::filesystem;

namespace {

// Three JPEGs img0..img2.jpg in `dir`/imgs; returns their paths.
std::vector<std::string> make_jpegs(const test::TempDir& dir) {
  fs::create_directories(dir.file("imgs"));
  std::vector<std::string> paths;
  for (int i = 0; i < 3; ++i) {
    paths.push_back(dir.file(fmt::format("imgs/img{}.jpg", i)));
    write_file_atomic(paths.back(), test::numbered_jpeg(i), false);
  }
  return paths;
}

std::string text_of(const Bytes& b) { return std::string(b.begin(), b.end()); }

}  // namespace

TEST_CASE("tiny ingest - reads a gzip CSV on stdin, repairs a Latin-1 caption, stores and verifies sha256") {
  test::TempDir dir;
  std::vector<std::string> jpegs = make_jpegs(dir);
  std::string csv = "url,caption,sha256\n";
  for (int i = 0; i < 3; ++i) {
    std::string digest = ingest::hex_digest(read_file(jpegs[i]), ingest::HashType::sha256);
    if (i == 2) digest = std::string(64, '0');  // a list that disagrees with the data
    csv += fmt::format("file://{},{},{}\n", jpegs[i], i == 0 ? "caf\xE9 au lait" : "plain", digest);
  }
  const Bytes gz = test::compressed(csv, "gzip");
  const std::string args = "ingest - --input-format csv -o {} --json --size 32 --hash sha256 --verify-hash sha256";
  auto r = run_tiny(fmt::format(args, dir.file("out")), text_of(gz));
  CHECK(r.exit_code == 1);  // the mismatching sample failed: reported, then exit 1
  Json j = parse_json(r.out, "stdout");
  CHECK(j["successes"] == 2);
  CHECK(j["failures"]["hash_mismatch"] == 1);
  CHECK(j["captions_repaired"] == 1);
  CHECK(j["version"].is_string());
  CHECK(r.err.find("stdin: line 2: the caption is not UTF-8") != std::string::npos);
  auto samples = test::read_output(dir.file("out"));
  REQUIRE(samples.count("000000000") == 1);
  CHECK(text_of(samples["000000000"]["txt"]) == "caf\xEF\xBF\xBD au lait");
  Json meta = parse_json(text_of(samples["000000000"]["json"]), "json");
  CHECK(meta["sha256"] == ingest::hex_digest(read_file(jpegs[0]), ingest::HashType::sha256));
  CHECK(samples.count("000000002") == 0);

  auto tolerated = run_tiny(fmt::format(args, dir.file("out2")) + " --allow-failures", text_of(gz));
  CHECK(tolerated.exit_code == 0);
  auto no_hash = run_tiny("ingest - -o " + dir.file("out3") + " --verify-hash sha256", csv);
  CHECK(no_hash.exit_code == 2);
}

TEST_CASE("tiny ingest refuses a Parquet list naming the format, and never reads gzip bytes as URLs") {
  test::TempDir dir;
  write_file_atomic(dir.file("urls.parquet"), std::string_view("PAR1 not text"), false);
  auto parquet = run_tiny("ingest " + dir.file("urls.parquet") + " -o " + dir.file("out"));
  CHECK(parquet.exit_code == 2);
  CHECK(parquet.err.find("urls.parquet: Parquet is not a URL list format") != std::string::npos);
  std::vector<std::string> jpegs = make_jpegs(dir);
  write_file_atomic(dir.file("urls.txt.gz"), test::compressed("file://" + jpegs[1] + "\n", "gzip"), false);
  auto gz = run_tiny("ingest --json " + dir.file("urls.txt.gz") + " -o " + dir.file("out") + " --size 32");
  CHECK(gz.exit_code == 0);
  CHECK(parse_json(gz.out, "stdout")["successes"] == 1);
}

TEST_CASE("tiny ingest --resize-only-if-bigger never upscales and --max-area drops large images") {
  test::TempDir dir;
  make_jpegs(dir);
  auto small = run_tiny("ingest -q " + dir.file("imgs") + " -o " + dir.file("kept") + " --size 256 --resize-only-if-bigger");
  REQUIRE(small.exit_code == 0);
  for (auto& [key, files] : test::read_output(dir.file("kept"))) {
    Json meta = parse_json(text_of(files["json"]), key);
    CHECK(meta["width"] == meta["original_width"]);
    CHECK(meta["height"] == meta["original_height"]);
  }
  auto up = run_tiny("ingest -q " + dir.file("imgs") + " -o " + dir.file("up") + " --size 256");
  REQUIRE(up.exit_code == 0);
  CHECK(parse_json(text_of(test::read_output(dir.file("up")).begin()->second["json"]), "json")["height"] == 256);
  auto area = run_tiny("ingest --json " + dir.file("imgs") + " -o " + dir.file("area") + " --max-area 1000");
  CHECK(area.exit_code == 0);  // a filter the user asked for, not a failure
  CHECK(parse_json(area.out, "stdout")["failures"]["area"] == 3);
}

TEST_CASE("file names that are not UTF-8 are escaped in --json and reports, never an abort") {
  test::TempDir dir;
  fs::create_directories(dir.file("src"));
  const std::string odd = dir.file("src/caf\xE9.png");
  image::write_image(odd, test::make_test_image(64, 48, 3), false);
  image::write_image(dir.file("src/other.png"), test::make_test_image(64, 48, 9), false);
  auto info = run_tiny("info --json '" + odd + "'");
  REQUIRE(info.exit_code == 0);
  CHECK(parse_json(info.out, "stdout")["files"][0]["file"] == dir.file("src/caf\\xE9.png"));
  auto filter = run_tiny("filter-dataset --json " + dir.file("src") + " --report " + dir.file("report"));
  REQUIRE(filter.exit_code == 0);
  Json j = parse_json(filter.out, "stdout");
  CHECK(j["summary"]["files"] == 2);
  CHECK(filter.out.find("caf\\\\xE9.png") != std::string::npos);  // the JSON text holds caf\\xE9.png
  CHECK(fs::exists(dir.file("report/summary.json")));
  CHECK(fs::exists(odd));  // the file itself keeps its exact name
}

TEST_CASE("tiny filter-dataset - reads a path list on stdin") {
  test::TempDir dir;
  std::vector<std::string> jpegs = make_jpegs(dir);
  auto r = run_tiny("filter-dataset --json -", jpegs[0] + "\n" + jpegs[2] + "\n");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["summary"]["files"] == 2);
  CHECK(j["version"].is_string());
}

TEST_CASE("tiny frames: a video name that is not UTF-8 gets its index, and '-' reads the video from stdin") {
  test::TempDir dir;
  const std::string odd = dir.file("clip\xE9.mp4");
  test::write_test_video(odd, test::h264_clip(10, 5, 0));
  auto r = run_tiny("frames '" + odd + "' -o " + dir.file("out") + " --every 5 --json");
  REQUIRE(r.exit_code == 0);
  Json index = read_json_file(dir.file("out/frames.json"));
  REQUIRE(index.size() == 2);
  CHECK(index[0]["video"] == dir.file("clip\\xE9.mp4"));
  CHECK(fs::exists(dir.file("out/clip\xE9_000005.jpg")));
  auto piped = run_tiny("frames - -o " + dir.file("piped") + " --indices 3,7", text_of(read_file(odd)));
  REQUIRE(piped.exit_code == 0);
  CHECK(fs::exists(dir.file("piped/stdin_000003.jpg")));
  CHECK(read_json_file(dir.file("piped/frames.json"))[1]["video"] == "-");
}

TEST_CASE("--allow-failures: a batch with failures exits 1 without it, 0 with it, 1 when nothing succeeded") {
  test::TempDir dir;
  test::write_test_video(dir.file("good.mp4"), test::h264_clip(6, 3, 0));
  write_file_atomic(dir.file("bad.mp4"), std::string_view("not a video"), false);
  const std::string both = "frames " + dir.file("good.mp4") + " " + dir.file("bad.mp4") + " -o " + dir.file("o");
  CHECK(run_tiny(both).exit_code == 1);
  CHECK(run_tiny(both + " --force --allow-failures").exit_code == 0);
  CHECK(run_tiny("frames " + dir.file("bad.mp4") + " -o " + dir.file("o2") + " --allow-failures").exit_code == 1);
}

TEST_CASE("tiny compress: a failing image of a batch, --allow-failures, and one image into an existing folder") {
  test::TempDir dir;
  image::write_image(dir.file("good.png"), test::make_test_image(64, 48, 1), false);
  write_file_atomic(dir.file("bad.png"), std::string_view("not an image"), false);
  const std::string model = " --untrained --arch bmshj2018-factorized --quality 1 ";
  const std::string both = "compress" + model + dir.file("good.png") + " " + dir.file("bad.png") + " -o " + dir.file("o");
  CHECK(run_tiny(both).exit_code == 1);
  CHECK(fs::exists(dir.file("o/good.tic")));
  CHECK(run_tiny(both + " --force --allow-failures").exit_code == 0);
  fs::create_directories(dir.file("one"));
  CHECK(run_tiny("compress" + model + dir.file("good.png") + " -o " + dir.file("one")).exit_code == 0);
  CHECK(fs::exists(dir.file("one/good.tic")));
}

TEST_CASE("--json documents have one shape whatever the input count, with a version") {
  test::TempDir dir;
  std::vector<std::string> jpegs = make_jpegs(dir);
  for (const std::string& files : {jpegs[0], jpegs[0] + " " + jpegs[1]}) {
    CAPTURE(files);
    Json j = parse_json(run_tiny("info --json " + files).out, "stdout");
    CHECK(j["version"].is_string());
    CHECK(j["files"].is_array());
  }
}

TEST_CASE("-q silences stderr (progress, logs) but never the result on stdout") {
  test::TempDir dir;
  std::vector<std::string> jpegs = make_jpegs(dir);
  auto r = run_tiny("filter-dataset -q " + dir.file("imgs"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("kept") != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("tiny convert of several models: one that fails is reported, the others are converted, then exit 1") {
  test::TempDir dir;
  write_file_atomic(dir.file("broken.tmodel"), std::string_view("not a model"), false);
  const std::string args = "convert " TINY_SOURCE_DIR "/models/mbt2018-mean-q1.tmodel " + dir.file("broken.tmodel") +
                           " --half --json -o " + dir.file("out");
  auto r = run_tiny(args);
  CHECK(r.exit_code == 1);
  Json j = parse_json(r.out, "stdout");
  REQUIRE(j["models"].size() == 2);
  CHECK(j["models"][0]["arch"] == "mbt2018-mean");
  CHECK(j["models"][1]["error"].get<std::string>().find("broken.tmodel") != std::string::npos);
  CHECK(fs::exists(dir.file("out/mbt2018-mean-q1.tmodel")));
  CHECK(run_tiny(args + " --force --allow-failures").exit_code == 0);
}

TEST_CASE("tiny convert of one model into a folder: -o dir/ or an existing folder names the file after the input") {
  test::TempDir dir;
  const std::string model = TINY_SOURCE_DIR "/models/mbt2018-mean-q1.tmodel";
  CHECK(run_tiny("convert " + model + " --half -o " + dir.file("new") + "/").exit_code == 0);
  CHECK(fs::exists(dir.file("new/mbt2018-mean-q1.tmodel")));
  fs::create_directories(dir.file("existing"));
  CHECK(run_tiny("convert " + model + " --half -o " + dir.file("existing")).exit_code == 0);
  CHECK(fs::exists(dir.file("existing/mbt2018-mean-q1.tmodel")));
  CHECK(run_tiny("convert " + model + " --half -o " + dir.file("existing")).exit_code == 1);  // exists: --force
  CHECK(run_tiny("convert " + model + " --half --force -o " + dir.file("existing")).exit_code == 0);
}

TEST_CASE("tiny convert - reads the model from stdin") {
  test::TempDir dir;
  const Bytes model = read_file(TINY_SOURCE_DIR "/models/mbt2018-mean-q1.tmodel");
  auto r = run_tiny("convert - --half -o " + dir.file("half.tmodel"), std::string(model.begin(), model.end()));
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(dir.file("half.tmodel")));
  CHECK(run_tiny("convert - - -o " + dir.file("x"), "x").exit_code == 2);
}

TEST_CASE("tiny info - describes a model read from stdin") {
  const Bytes model = read_file(TINY_SOURCE_DIR "/models/mbt2018-mean-q1.tmodel");
  auto r = run_tiny("info --json -", std::string(model.begin(), model.end()));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"][0];
  CHECK(j["arch"] == "mbt2018-mean");
  CHECK(j["file"] == "-");
}

TEST_CASE("help lists an argument that is positional once, under Positionals") {
  for (const char* command : {"compress", "decompress", "info", "convert", "frames"}) {
    CAPTURE(command);
    auto h = run_tiny(std::string(command) + " --help");
    REQUIRE(h.exit_code == 0);
    const size_t options = h.out.find("Options:");
    REQUIRE(options != std::string::npos);
    CHECK(h.out.find("Positionals:") < options);
    for (const char* name : {"--files ", "--input ", "--videos "}) CHECK(h.out.find(name, options) == std::string::npos);
  }
}

TEST_CASE("range errors show their bounds as numbers are written") {
  auto mb = run_tiny("ingest x.txt -o out --max-mb 0");
  CHECK(mb.exit_code == 2);
  CHECK(mb.err.find("0 is not in the range 0.0009765625 to 1048576") != std::string::npos);
  auto scene = run_tiny("frames x.mp4 -o out --scene 2");
  CHECK(scene.exit_code == 2);
  CHECK(scene.err.find("2 is not in the range 0 to 1") != std::string::npos);
  auto shard = run_tiny("ingest x.txt -o out --shard-size 0");
  CHECK(shard.exit_code == 2);
  CHECK(shard.err.find("not in range 1 to 1048576") != std::string::npos);
}
