#include "bench/dedup_quality.hpp"
#include "bench/dedup_variants.hpp"
#include "dataset/dataset_fixtures.hpp"
#include "image/encode.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using namespace tiny::bench;

TEST_CASE("dedup-quality variants and scores are well formed") {
  image::Image photo = test::blocks_image(240, 160, 4);
  auto variants = make_variants(photo, 1);
  REQUIRE(variants.size() == 17);
  for (auto& [name, img] : variants) CHECK(img.size_bytes() == size_t(img.width) * img.height * 3);
  CHECK(variants[0].second.width == 120);
  CHECK(make_variants(photo, 1)[8].second.pixels == variants[8].second.pixels);
  std::vector<Photo> photos;
  for (auto [name, img] : {std::pair{"a.png", photo}, {"b.png", test::blocks_image(240, 160, 8)}, {"c.png", test::blocks_image(240, 160, 15)}})
    photos.push_back({name, image::encode_image(img, image::Format::png), img});
  QualityOptions o;
  o.coarse_threshold = 12;
  o.fine_threshold = 60;
  nlohmann::json j = dedup_quality(photos, o);
  CHECK(j["variants_per_photo"] == 17);
  CHECK(j["distinct_pairs"] == 3);
  for (const char* kind : {"phash", "views"}) {
    const auto& rows = j["kinds"][kind]["thresholds"];
    REQUIRE(rows.size() == (std::string(kind) == "phash" ? 17u : 129u));
    for (size_t t = 1; t < rows.size(); ++t) {
      CHECK(rows[t]["recall"].get<double>() >= rows[t - 1]["recall"].get<double>());
      CHECK(rows[t]["expected_false_pairs"].get<double>() >= rows[t - 1]["expected_false_pairs"].get<double>());
    }
    CHECK(rows.back()["recall"].get<double>() > 0.5);
  }
  CHECK(j["kinds"]["views"]["recall_per_variant"].size() == 17);
}
