#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

using namespace tiny;
using test::fake_python;
using test::run_tiny;

namespace {

const std::string kQuick = "bench codec --quick --json --arch mbt2018-mean ";

// The one result of a --quick --json run on mbt2018-mean, with the published reference and no CompressAI run.
Json published_only(const test::RunResult& r) {
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["compressai"]["measured"] == false);
  REQUIRE(j["results"].size() == 1);
  const Json& m = j["results"][0];
  CHECK(m["encode_s"].get<double>() > 0);
  CHECK(m["psnr"].get<double>() > 0);
  CHECK(m["published_encode_s"].size() == 2);
  CHECK(m["encode_vs_published"].get<double>() > 0);
  CHECK_FALSE(m.contains("compressai"));
  return j;
}

}  // namespace

TEST_CASE("tiny bench codec skips the CompressAI side by side with one line when the interpreter cannot run it") {
  auto r = run_tiny(kQuick + "--python /nonexistent/python3");
  Json j = published_only(r);
  CHECK(j["compressai"]["python"] == "/nonexistent/python3");
  CHECK(r.err.find("CompressAI side by side skipped: ") != std::string::npos);
  CHECK(r.err.find("/nonexistent/python3") != std::string::npos);
}

TEST_CASE("tiny bench codec passes on the script's reason when torch or CompressAI does not import") {
  test::TempDir dir;  // answers like the script where CompressAI is missing
  auto r = run_tiny(kQuick + "--python " + fake_python(dir, "echo 'no module named compressai' >&2\nexit 77\n"));
  Json j = published_only(r);
  CHECK(j["compressai"]["skipped"] == "no module named compressai");
  CHECK(r.err.find("CompressAI side by side skipped: no module named compressai;") != std::string::npos);
}

TEST_CASE("tiny bench codec falls back to the published times with a warning when CompressAI fails on a model") {
  test::TempDir dir;  // imports, then fails like a Python traceback
  auto r = run_tiny(kQuick + "--python " +
                    fake_python(dir, "[ \"$2\" = --check ] && exit 0\necho Traceback >&2\necho 'RuntimeError: boom' >&2\n"
                                     "exit 1\n"));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["compressai"]["measured"] == true);
  const Json& m = j["results"][0];
  CHECK_FALSE(m.contains("compressai"));
  CHECK(m["published_decode_s"].size() == 2);
  CHECK(m["compressai_error"].get<std::string>().find("failed with status 1: RuntimeError: boom") != std::string::npos);
  CHECK(r.err.find("warning: bench codec: no CompressAI side by side for mbt2018-mean q1: ") != std::string::npos);
}

TEST_CASE("tiny bench codec --compressai off (or its config key) runs no interpreter") {
  Json off = published_only(run_tiny(kQuick + "--compressai off --python /nonexistent/python3"));
  CHECK(off["compressai"]["skipped"] == "--compressai off");
  test::TempDir dir;
  write_file_atomic(dir.file("c.json"), std::string_view(R"({"compressai": "off", "python": "/nonexistent/py"})"), false);
  Json config = published_only(run_tiny(kQuick + "--config " + dir.file("c.json")));
  CHECK(config["compressai"]["skipped"] == "--compressai off");
  CHECK(config["compressai"]["python"] == "/nonexistent/py");
  CHECK(run_tiny("bench codec --compressai sometimes").exit_code == 2);
}

TEST_CASE("tiny bench codec runs CompressAI on the same weights where it imports ($TINY_PYTHON, PYTHONPATH)") {
  if (std::string why = test::compressai_unavailable("scripts/compressai_codec_bench.py"); !why.empty()) {
    MESSAGE("skipped: CompressAI does not import here: " << why);
    return;
  }
  auto r = run_tiny("bench codec --quick --json");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["compressai"]["measured"] == true);
  REQUIRE(j["results"].size() == 2);
  for (const Json& m : j["results"]) {
    INFO(m["arch"].get<std::string>());
    REQUIRE(m.contains("compressai"));
    const Json& c = m["compressai"];
    CHECK(c["encode_s"].get<double>() > 0);
    CHECK(c["decode_s"].get<double>() > 0);
    CHECK(m["encode_vs_compressai"].get<double>() > 0);
    CHECK(m["decode_vs_compressai"].get<double>() > 0);
    CHECK(c["threads"] == j["threads"]);
    // Same weights, same image: the same reconstruction up to float rounding, sizes within the container's bytes.
    CHECK(std::abs(c["psnr"].get<double>() - m["psnr"].get<double>()) < 0.05);
    CHECK(std::abs(c["bytes"].get<double>() - m["bytes"].get<double>()) < 0.1 * m["bytes"].get<double>() + 200);
  }
}
