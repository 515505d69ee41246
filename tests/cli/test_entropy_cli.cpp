#include "core/json_file.hpp"
#include "entropy/container.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace tiny;
using test::fake_python;
using test::run_tiny;

TEST_CASE("tiny bench rans --quick --json reports both tables with a correct code length") {
  auto r = run_tiny("bench rans --quick --json --python /nonexistent/python3");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["benchmark"] == "rans");
  REQUIRE(j["results"].size() == 2);
  CHECK(j["results"][0]["table"] == "gaussian");
  CHECK(j["results"][1]["table"] == "factorized");
  for (const auto& res : j["results"]) {
    CHECK(res["symbols"] == 200000);
    CHECK(res["encode_msym_per_s"].get<double>() > 0);
    CHECK(res["decode_msym_per_s"].get<double>() > 0);
    CHECK(res["bits_per_symbol"].get<double>() >= res["ideal_bits_per_symbol"].get<double>());
    CHECK(res["overhead_percent"].get<double>() < 1.0);
  }
  // No interpreter: CompressAI's reference speeds stand in, and the ratios use them.
  CHECK(j["compressai"]["measured"] == false);
  CHECK(r.err.find("CompressAI side by side skipped: ") != std::string::npos);
  for (const auto& res : j["results"]) {
    CHECK_FALSE(res.contains("compressai"));
    const double ref = res["compressai_reference"]["decode_msym_per_cpu_s"].get<double>();
    CHECK(res["decode_vs_compressai"].get<double>() == doctest::Approx(res["decode_msym_per_cpu_s"].get<double>() / ref));
  }
  auto bad = run_tiny("bench rans --symbols 0");
  CHECK(bad.exit_code == 2);
}

TEST_CASE("tiny bench rans hands CompressAI the symbols and tables and divides by its CPU time") {
  test::TempDir dir;  // an "interpreter" that checks what it was given and answers 2 s to encode, 4 s to decode
  const std::string python = fake_python(
      dir, "[ \"$2\" = --check ] && exit 0\n"
           "[ $(stat -c %s \"$2/symbols.i32\") = 800000 ] && [ $(stat -c %s \"$2/indexes.i32\") = 800000 ] || exit 3\n"
           "grep -q '\"offsets\"' \"$2/tables.json\" || exit 4\n"
           "echo '{\"encode_s\": 2, \"encode_cpu_s\": 2, \"decode_s\": 4, \"decode_cpu_s\": 4, \"bytes\": 100000}'\n");
  auto r = run_tiny("bench rans --quick --json --python " + python);
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["compressai"]["measured"] == true);
  for (const auto& res : j["results"]) {
    REQUIRE(res.contains("compressai"));
    CHECK(res["compressai"]["encode_msym_per_cpu_s"].get<double>() == doctest::Approx(0.1));
    CHECK(res["compressai"]["bits_per_symbol"].get<double>() == doctest::Approx(4.0));
    CHECK(res["decode_vs_compressai"].get<double>() ==
          doctest::Approx(res["decode_msym_per_cpu_s"].get<double>() / 0.05));
  }
}

TEST_CASE("tiny bench rans runs CompressAI's coder on the same symbols where it imports ($TINY_PYTHON, PYTHONPATH)") {
  if (std::string why = test::compressai_unavailable("scripts/compressai_rans_bench.py"); !why.empty()) {
    MESSAGE("skipped: CompressAI does not import here: " << why);
    return;
  }
  auto r = run_tiny("bench rans --quick --json");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["compressai"]["measured"] == true);
  for (const auto& res : j["results"]) {
    REQUIRE(res.contains("compressai"));
    // The same family of coder on the same tables: both within a fraction of a percent of the ideal.
    const double ideal = res["ideal_bits_per_symbol"].get<double>();
    CHECK(std::abs(res["compressai"]["bits_per_symbol"].get<double>() - ideal) < 0.005 * ideal);
    CHECK(res["decode_vs_compressai"].get<double>() > 0);
  }
}

TEST_CASE("tiny info shows a .tic header and rejects a corrupt one") {
  test::TempDir dir;
  entropy::TicFile t;
  t.arch = "bmshj2018-factorized";
  t.quality = 4;
  t.model_hash = 0xfeedull;
  t.width = 64;
  t.height = 48;
  t.tile_size = 768;
  t.latent_shapes = {{192, 4, 3}};
  t.substreams = {{1, 2, 3}, {4}};
  entropy::write_tic_file(dir.file("a.tic"), t, false);
  auto r = run_tiny("info --json " + dir.file("a.tic"));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"];
  CHECK(j[0]["format"] == "tic");
  CHECK(j[0]["arch"] == "bmshj2018-factorized");
  CHECK(j[0]["quality"] == 4);
  CHECK(j[0]["width"] == 64);
  CHECK(j[0]["tile_size"] == 768);
  CHECK(j[0]["model_hash"] == "000000000000feed");
  CHECK(j[0]["payload_bytes"] == 4);
  CHECK(j[0]["substream_states"] == Json::array({0, 0}));  // too short to hold states
  auto table = run_tiny("info " + dir.file("a.tic"));
  CHECK(table.exit_code == 0);
  CHECK(table.out.find("64x48") != std::string::npos);
  Bytes data = entropy::write_tic(t);
  data[data.size() - 6] ^= 1;
  write_file_atomic(dir.file("bad.tic"), data, false);
  auto bad = run_tiny("info " + dir.file("bad.tic"));
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("CRC") != std::string::npos);
}
