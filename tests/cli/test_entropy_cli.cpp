#include "core/json_file.hpp"
#include "entropy/container.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using test::run_tiny;

TEST_CASE("tiny bench rans --quick --json reports both tables with a correct code length") {
  auto r = run_tiny("bench rans --quick --json");
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
  CHECK(j["baseline"]["decode_msym_per_s"].get<double>() > 0);
  auto bad = run_tiny("bench rans --symbols 0");
  CHECK(bad.exit_code == 2);
}

TEST_CASE("tiny info shows a .tic header and rejects a corrupt one") {
  test::TempDir dir;
  entropy::TicFile t;
  t.arch = "bmshj2018-factorized";
  t.quality = 4;
  t.model_hash = 0xfeedull;
  t.width = 64;
  t.height = 48;
  t.latent_shapes = {{192, 4, 3}};
  t.substreams = {{1, 2, 3}, {4}};
  entropy::write_tic_file(dir.file("a.tic"), t, false);
  auto r = run_tiny("info --json " + dir.file("a.tic"));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j[0]["format"] == "tic");
  CHECK(j[0]["arch"] == "bmshj2018-factorized");
  CHECK(j[0]["quality"] == 4);
  CHECK(j[0]["width"] == 64);
  CHECK(j[0]["model_hash"] == "000000000000feed");
  CHECK(j[0]["payload_bytes"] == 4);
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
