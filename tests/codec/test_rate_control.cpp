// Rate control: the grid search on known curves, and targeted coding with small random models.
#include "codec/rate_control.hpp"
#include "core/error.hpp"
#include "image/metrics.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <set>

using namespace tiny;
using namespace tiny::codec;

namespace {

constexpr int kGrid = 5001;  // a variable-rate model's qualities 1.000 .. 6.000

// Runs search_grid on curve f, checking that no index is measured twice.
SearchOutcome search(int count, const RateTarget& t, const std::function<double(int)>& f, double slope = 0.0004,
                     bool logarithmic = true) {
  std::set<int> seen;
  SearchSettings s;
  s.start = count / 2, s.slope = slope, s.logarithmic = logarithmic;
  SearchOutcome out = search_grid(count, t, s, [&](int k) {
    CHECK(k >= 0);
    CHECK(k < count);
    CHECK(seen.insert(k).second);
    return f(k);
  });
  CHECK(out.probes.size() == seen.size());
  return out;
}

double value_at(const SearchOutcome& o) {
  for (const auto& p : o.probes)
    if (p.index == o.index) return p.measure;
  FAIL("the chosen index was never probed");
  return 0;
}

// A small random variable-rate model.
Codec small_vr() { return Codec::untrained({"mbt2018-mean-vr", kVariableRateLevels, 8, 12, 0.0130}, 3); }

}  // namespace

TEST_CASE("sizes parse with decimal and binary suffixes; bad sizes and targets are usage errors") {
  CHECK(parse_size("40000") == 40000);
  CHECK(parse_size("40k") == 40000);
  CHECK(parse_size("40kB") == 40000);
  CHECK(parse_size("1.5M") == 1500000);
  CHECK(parse_size("64Ki") == 65536);
  CHECK(parse_size("2MiB") == 2097152);
  CHECK(parse_size("12B") == 12);
  for (const char* bad : {"", "k", "abc", "40x", "40 k", "-5", "0", "nan", "inf", "40kk"})
    CHECK_THROWS_AS(parse_size(bad), UsageError);
  CHECK_THROWS_AS(rate_target(TargetKind::bpp, 0), UsageError);
  CHECK_THROWS_AS(rate_target(TargetKind::psnr, -31), UsageError);
  CHECK_THROWS_AS(rate_target(TargetKind::size, std::nan("")), UsageError);
  CHECK(rate_target(TargetKind::size, 1000).tolerance == doctest::Approx(0.02));
  CHECK(rate_target(TargetKind::psnr, 31).tolerance == doctest::Approx(0.05));
}

TEST_CASE("the search meets rate targets on exponential curves in a few probes") {
  for (double growth : {0.0002, 0.0004, 0.0009}) {
    for (double bpp : {0.05, 0.3, 1.0}) {
      CAPTURE(growth);
      CAPTURE(bpp);
      auto f = [&](int k) { return 0.04 * std::exp(growth * k); };  // from 0.04 bpp
      const RateTarget target = rate_target(TargetKind::bpp, bpp);
      SearchOutcome o = search(kGrid, target, f);
      if (f(kGrid - 1) < bpp * (1 - target.tolerance)) {
        CHECK(o.status == SearchStatus::above_range);
        continue;
      }
      CHECK(o.status == SearchStatus::met);
      CHECK(std::abs(value_at(o) / bpp - 1) <= 0.02);
      CHECK(o.probes.size() <= 6);
    }
  }
}

TEST_CASE("the search meets PSNR targets on a bent curve, searching on the value itself") {
  auto f = [](int k) { return 24.0 + 12.0 * std::sqrt(k / double(kGrid - 1)); };
  for (double db : {25.0, 31.0, 35.5}) {
    CAPTURE(db);
    SearchOutcome o = search(kGrid, rate_target(TargetKind::psnr, db), f, 0.0017, false);
    CHECK(o.status == SearchStatus::met);
    CHECK(std::abs(value_at(o) - db) <= 0.05);
    CHECK(o.probes.size() <= 10);
  }
}

TEST_CASE("targets beyond the curve's ends are infeasible and give the limit") {
  auto f = [](int k) { return 1000.0 * std::exp(0.0005 * k); };
  SearchOutcome low = search(kGrid, rate_target(TargetKind::size, 500), f);
  CHECK(low.status == SearchStatus::below_range);
  CHECK(low.index == 0);
  SearchOutcome high = search(kGrid, rate_target(TargetKind::size, 1e6), f);
  CHECK(high.status == SearchStatus::above_range);
  CHECK(high.index == kGrid - 1);
  SearchOutcome one = search(1, rate_target(TargetKind::size, 5000), f);
  CHECK(one.status == SearchStatus::above_range);
  CHECK_THROWS_AS(search_grid(0, rate_target(TargetKind::size, 1), {}, [](int) { return 1.0; }), UsageError);
}

TEST_CASE("a coarse grid gives the nearest point when none is within the tolerance") {
  const std::vector<double> sizes = {100, 200, 400, 800};
  auto f = [&](int k) { return sizes[size_t(k)]; };
  SearchOutcome o = search(4, rate_target(TargetKind::size, 300), f, 0.4);
  CHECK(o.status == SearchStatus::nearest);
  CHECK(o.index == 2);  // 400 is nearer to 300 than 200 on a log scale
  SearchOutcome exact = search(4, rate_target(TargetKind::size, 204), f, 0.4);
  CHECK(exact.status == SearchStatus::met);
  CHECK(exact.index == 1);
}

TEST_CASE("a noisy, locally non-monotone curve still ends, at the target or the nearest probe") {
  auto f = [](int k) { return 0.1 * std::exp(0.0004 * k) * (1.0 + 0.03 * std::sin(k * 0.7)); };
  for (double bpp : {0.12, 0.2, 0.5, 0.7}) {
    CAPTURE(bpp);
    SearchOutcome o = search(kGrid, rate_target(TargetKind::bpp, bpp), f);
    if (o.status == SearchStatus::met) CHECK(std::abs(value_at(o) / bpp - 1) <= 0.02);
    else CHECK(o.status == SearchStatus::nearest);
    CHECK(o.probes.size() <= 24);
  }
}

TEST_CASE("an analysed image codes as compress() does, at any quality, without changing the codec's") {
  Codec vr = small_vr();
  image::Image img = test::make_test_image(150, 97, 4), recon_a, recon_b;
  auto analysis = vr.analyze(img);
  vr.set_quality(2.7);
  Bytes direct = vr.compress(img, &recon_a);
  vr.set_quality(4.0);
  CHECK(vr.compress(*analysis, 2.7, &recon_b) == direct);
  CHECK(recon_b.pixels == recon_a.pixels);
  CHECK(vr.quality() == 4.0);
  CHECK(vr.compress(*analysis, 4.0) == vr.compress(img));
  CHECK_THROWS_AS(vr.compress(*analysis, 6.5), UsageError);

  Codec fixed = Codec::untrained({"mbt2018-mean", 2, 8, 12, 0.0035}, 1);
  auto fa = fixed.analyze(img);
  CHECK(fixed.compress(*fa, 2) == fixed.compress(img));
  CHECK_THROWS_AS(fixed.compress(*fa, 3), UsageError);
  CHECK_THROWS_AS(fixed.compress(*analysis, 2), UsageError);
}

TEST_CASE("a variable-rate model meets a bpp and a size target; the bitstream decodes at the chosen quality") {
  Codec vr = small_vr();
  image::Image img = test::make_test_image(192, 128, 5);
  const double pixels = 192.0 * 128.0;
  // The targets are rates the model reaches: its own at 2.4.
  const double bytes_at = double(vr.compress(*vr.analyze(img), 2.4).size());
  image::Image recon;
  TargetedCode bpp = compress_to_target({&vr}, img, rate_target(TargetKind::bpp, bytes_at * 8 / pixels), &recon);
  CHECK(bpp.status == SearchStatus::met);
  CHECK(std::abs(double(bpp.tic.size()) / bytes_at - 1) <= 0.02);
  CHECK(bpp.measure == doctest::Approx(double(bpp.tic.size()) * 8 / pixels));
  CHECK(bpp.codec == &vr);
  CHECK(bpp.probes >= 1);
  Codec decoder = small_vr();
  CHECK(decoder.decompress(bpp.tic, "t.tic").pixels == recon.pixels);
  CHECK(bpp.quality >= 1.0);
  CHECK(bpp.quality <= 6.0);
  CHECK(std::abs(bpp.quality * 1000 - std::round(bpp.quality * 1000)) < 1e-6);

  TargetedCode size = compress_to_target({&vr}, img, rate_target(TargetKind::size, bytes_at));
  CHECK(size.status == SearchStatus::met);
  CHECK(std::abs(double(size.tic.size()) / bytes_at - 1) <= 0.02);
  CHECK(size.tic == vr.compress(*vr.analyze(img), size.quality));
  CHECK(describe(rate_target(TargetKind::size, bytes_at), size)["status"] == "met");
  CHECK(shortfall(rate_target(TargetKind::size, bytes_at), size).empty());
}

TEST_CASE("an unreachable size is infeasible: coded at the quality limit, and said so") {
  Codec vr = small_vr();
  image::Image img = test::make_test_image(128, 128, 6);
  RateTarget huge = rate_target(TargetKind::size, 1e7), tiny = rate_target(TargetKind::size, 10);
  TargetedCode high = compress_to_target({&vr}, img, huge);
  CHECK(high.status == SearchStatus::above_range);
  CHECK(high.quality == 6.0);
  CHECK(high.tic == vr.compress(*vr.analyze(img), 6.0));
  CHECK(shortfall(huge, high).find("infeasible") != std::string::npos);
  TargetedCode low = compress_to_target({&vr}, img, tiny);
  CHECK(low.status == SearchStatus::below_range);
  CHECK(low.quality == 0.0);
  CHECK(describe(tiny, low)["status"] == "below range");
}

TEST_CASE("a PSNR target reports the PSNR of the chosen bitstream's reconstruction") {
  Codec vr = small_vr();
  image::Image img = test::make_test_image(128, 96, 7), rec;
  vr.compress(*vr.analyze(img), 3.3, &rec);
  const RateTarget t = rate_target(TargetKind::psnr, image::psnr(img, rec));
  image::Image recon;
  TargetedCode r = compress_to_target({&vr}, img, t, &recon);
  CHECK(r.measure == doctest::Approx(r.psnr));
  CHECK(image::psnr(img, recon) == doctest::Approx(r.psnr));
  CHECK((r.status == SearchStatus::met || r.status == SearchStatus::nearest));
  if (r.status == SearchStatus::met) CHECK(std::abs(r.psnr - t.value) <= 0.05);
}

TEST_CASE("fixed-rate models are searched as a ladder of levels") {
  Codec q1 = Codec::untrained({"mbt2018-mean", 1, 8, 8, 0.0018}, 1);
  Codec q2 = Codec::untrained({"mbt2018-mean", 2, 8, 16, 0.0035}, 1);
  image::Image img = test::make_test_image(128, 128, 8);
  const double b2 = double(q2.compress(img).size());
  TargetedCode r = compress_to_target({&q1, &q2}, img, rate_target(TargetKind::size, b2));
  CHECK(r.codec == &q2);
  CHECK(r.quality == 2);
  CHECK(r.status == SearchStatus::met);
  CHECK(r.tic == q2.compress(img));
  Codec vr = small_vr();
  CHECK_THROWS_AS(compress_to_target({&vr, &q1}, img, rate_target(TargetKind::size, b2)), UsageError);
  CHECK_THROWS_AS(compress_to_target({}, img, rate_target(TargetKind::size, b2)), UsageError);
}
