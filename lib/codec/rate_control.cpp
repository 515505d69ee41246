#include "codec/rate_control.hpp"

#include "core/error.hpp"
#include "core/stopwatch.hpp"
#include "image/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

namespace tiny::codec {
namespace {

constexpr double kRateTolerance = 0.02;  // 2 % of the size or bpp
constexpr double kPsnrTolerance = 0.05;  // dB
// Quality steps of a variable-rate model's grid: its qualities are stored to 1/1000.
constexpr int kStepsPerLevel = 1000;
// Prior growth per quality level (CompressAI's mbt2018-mean on Kodak, q1..q6): the log of the rate
// grows about 0.4 and the PSNR about 1.7 dB per level. Only the second probe relies on it.
constexpr double kLogRatePerLevel = 0.4, kPsnrPerLevel = 1.7;

// Signed distance of a measure from the target, in the space the search interpolates in.
double gap(const RateTarget& t, bool logarithmic, double measure) {
  return logarithmic ? std::log(measure / t.value) : measure - t.value;
}

bool meets(const RateTarget& t, double measure) {
  const double error = t.kind == TargetKind::psnr ? measure - t.value : measure / t.value - 1.0;
  return std::abs(error) <= t.tolerance;
}

// The bracket of a search: the highest index measured below the target and the lowest above it, with
// their gaps as regula falsi uses them (the Illinois rule halves the gap of an end kept twice).
struct Bracket {
  int lo = -1, hi = 0;
  double glo = 0, ghi = 0;
  int last_side = 0;  // -1: lo moved last, +1: hi moved last

  bool closed(int count) const { return lo >= 0 && hi < count; }
  void update(int index, double g) {
    const int side = g < 0 ? -1 : 1;
    if (side < 0)
      lo = index, glo = g;
    else
      hi = index, ghi = g;
    if (side == last_side) (side < 0 ? ghi : glo) *= 0.5;
    last_side = side;
  }
};

// The next index to measure: regula falsi inside a closed bracket, else a secant step (the last two
// probes' slope, or the prior) towards the target, strictly inside the bracket.
int next_index(const Bracket& b, int count, const std::vector<SearchProbe>& probes, const std::vector<double>& gaps,
               double prior_slope) {
  const int k = probes.back().index;
  const double g = gaps.back();
  double x;
  if (b.closed(count) && std::isfinite(b.glo) && std::isfinite(b.ghi)) {
    x = b.lo + (b.hi - b.lo) * (-b.glo) / (b.ghi - b.glo);
  } else if (b.closed(count)) {
    x = 0.5 * (b.lo + b.hi);
  } else {
    double slope = prior_slope;
    if (probes.size() >= 2) {
      const size_t p = probes.size() - 2;
      const double measured = (g - gaps[p]) / double(k - probes[p].index);
      if (std::isfinite(measured) && measured > 0) slope = measured;
    }
    x = std::isfinite(g) ? k - g / slope : (g < 0 ? count - 1 : 0);
  }
  const int lowest = b.lo + 1, highest = std::min(b.hi, count) - 1;
  return std::clamp(int(std::lround(x)), lowest, highest);
}

std::string format_measure(TargetKind kind, double v) {
  switch (kind) {
    case TargetKind::size: return fmt::format("{:.0f} bytes", v);
    case TargetKind::bpp: return fmt::format("{:.4f} bpp", v);
    case TargetKind::psnr: return fmt::format("{:.2f} dB", v);
  }
  return {};
}

}  // namespace

RateTarget rate_target(TargetKind kind, double value) {
  if (!(value > 0) || !std::isfinite(value))
    throw UsageError(fmt::format("target {} {} is not a positive number", target_name(kind), value));
  return {kind, value, kind == TargetKind::psnr ? kPsnrTolerance : kRateTolerance};
}

double parse_size(const std::string& text) {
  static const std::map<std::string, double> units = {
      {"", 1},       {"B", 1},         {"k", 1e3},          {"K", 1e3},           {"kB", 1e3},
      {"KB", 1e3},   {"M", 1e6},       {"MB", 1e6},         {"Ki", 1024},         {"KiB", 1024},
      {"Mi", 1048576}, {"MiB", 1048576}};
  size_t end = 0;
  double number = 0;
  try {
    number = std::stod(text, &end);
  } catch (const std::exception&) {
    end = 0;
  }
  auto unit = units.find(text.substr(end));
  if (end == 0 || unit == units.end() || !(number > 0) || !std::isfinite(number))
    throw UsageError(fmt::format("'{}' is not a size in bytes (e.g. 40000, 40k, 1.5M, 64Ki)", text));
  return number * unit->second;
}

std::string target_name(TargetKind kind) {
  switch (kind) {
    case TargetKind::size: return "size";
    case TargetKind::bpp: return "bpp";
    case TargetKind::psnr: return "psnr";
  }
  return {};
}

std::string status_name(SearchStatus status) {
  switch (status) {
    case SearchStatus::met: return "met";
    case SearchStatus::nearest: return "nearest";
    case SearchStatus::below_range: return "below range";
    case SearchStatus::above_range: return "above range";
  }
  return {};
}

SearchOutcome search_grid(int count, const RateTarget& target, const SearchSettings& s,
                          const std::function<double(int)>& measure) {
  if (count < 1) throw UsageError("a quality search needs at least one quality to try");
  SearchOutcome out;
  std::vector<double> gaps;
  Bracket bracket;
  bracket.hi = count;
  int k = std::clamp(s.start, 0, count - 1);
  for (;;) {
    const double m = measure(k);
    out.probes.push_back({k, m});
    gaps.push_back(gap(target, s.logarithmic, m));
    const double g = gaps.back();
    out.index = k;
    if (meets(target, m)) return out;
    bracket.update(k, g);
    if (g < 0 && k == count - 1) {
      out.status = SearchStatus::above_range;
      return out;
    }
    if (g > 0 && k == 0) {
      out.status = SearchStatus::below_range;
      return out;
    }
    if (bracket.hi - bracket.lo <= 1 || int(out.probes.size()) >= s.max_probes) break;
    k = next_index(bracket, count, out.probes, gaps, s.slope);
  }
  // No grid point met it: the probe closest to the target.
  size_t best = 0;
  for (size_t i = 1; i < gaps.size(); ++i)
    if (std::abs(gaps[i]) < std::abs(gaps[best])) best = i;
  out.index = out.probes[best].index;
  out.status = SearchStatus::nearest;
  return out;
}

TargetedCode compress_to_target(const std::vector<const Codec*>& codecs, const image::Image& image,
                                const RateTarget& target, image::Image* reconstruction) {
  if (codecs.empty()) throw UsageError("rate control needs a model");
  const Stopwatch t0;
  const int levels = rate_levels(codecs[0]->info().arch);
  if (levels > 0 && codecs.size() != 1)
    throw UsageError("rate control searches one variable-rate model, or fixed-rate models only");
  const int count = levels > 0 ? (levels - 1) * kStepsPerLevel + 1 : int(codecs.size());
  const double per_index = levels > 0 ? 1.0 / kStepsPerLevel : 1.0;
  auto codec_at = [&](int k) { return codecs[levels > 0 ? 0 : size_t(k)]; };
  // k / 1000 is the double nearest to the quality's decimal value, as the bitstream stores it.
  auto quality_at = [&](int k) { return levels > 0 ? double(k) / kStepsPerLevel : codec_at(k)->quality(); };

  const bool psnr_target = target.kind == TargetKind::psnr;
  const bool need_reconstruction = psnr_target || reconstruction;
  const double pixels = double(image.width) * image.height;
  std::map<const Codec*, std::shared_ptr<const Codec::Analysis>> analyses;
  std::map<int, Bytes> tics;
  std::map<int, double> psnrs;
  int kept = -1;  // the probe whose reconstruction `recon` holds: the one closest to the target so far
  double kept_gap = 0;
  image::Image recon;
  double analysis_seconds = 0;

  auto measure = [&](int k) {
    const Codec* c = codec_at(k);
    auto& analysis = analyses[c];
    if (!analysis) {
      const Stopwatch a0;
      analysis = c->analyze(image);
      analysis_seconds += a0.seconds();
    }
    image::Image rec;
    Bytes tic = c->compress(*analysis, quality_at(k), need_reconstruction ? &rec : nullptr);
    const double psnr = need_reconstruction ? image::psnr(image, rec) : 0.0;
    const double m = target.kind == TargetKind::size  ? double(tic.size())
                     : target.kind == TargetKind::bpp ? double(tic.size()) * 8.0 / pixels
                                                      : psnr;
    tics[k] = std::move(tic);
    psnrs[k] = psnr;
    const double g = std::abs(gap(target, !psnr_target, m));
    if (reconstruction && (kept < 0 || g < kept_gap)) kept = k, kept_gap = g, recon = std::move(rec);
    return m;
  };
  SearchSettings settings;
  settings.start = count / 2;
  settings.logarithmic = !psnr_target;
  settings.slope = (psnr_target ? kPsnrPerLevel : kLogRatePerLevel) * per_index;
  SearchOutcome outcome = search_grid(count, target, settings, measure);

  TargetedCode r;
  const int k = outcome.index;
  r.tic = std::move(tics[k]);
  r.quality = quality_at(k);
  r.codec = codec_at(k);
  r.psnr = psnrs[k];
  r.status = outcome.status;
  r.probes = int(outcome.probes.size());
  for (const auto& p : outcome.probes)
    if (p.index == k) r.measure = p.measure;
  if (reconstruction) {
    if (kept != k) r.codec->compress(*analyses[r.codec], r.quality, &recon);
    *reconstruction = std::move(recon);
  }
  r.seconds = t0.seconds();
  r.analysis_seconds = analysis_seconds;
  return r;
}

nlohmann::json describe(const RateTarget& target, const TargetedCode& code) {
  const double error =
      target.kind == TargetKind::psnr ? code.measure - target.value : code.measure / target.value - 1.0;
  return {{"target", target_name(target.kind)}, {"value", target.value},   {"status", status_name(code.status)},
          {"measure", code.measure},            {"error", error},           {"probes", code.probes},
          {"seconds", code.seconds},            {"analysis_seconds", code.analysis_seconds}};
}

std::string shortfall(const RateTarget& target, const TargetedCode& code) {
  const std::string wanted = format_measure(target.kind, target.value);
  const std::string got = format_measure(target.kind, code.measure);
  switch (code.status) {
    case SearchStatus::met: return {};
    case SearchStatus::below_range:
      return fmt::format("{} is below what the lowest quality reaches ({} at quality {}): infeasible, coded at the "
                         "lowest quality", wanted, got, code.quality);
    case SearchStatus::above_range:
      return fmt::format("{} is above what the highest quality reaches ({} at quality {}): infeasible, coded at the "
                         "highest quality", wanted, got, code.quality);
    case SearchStatus::nearest:
      return fmt::format("no quality comes within the tolerance of {}: the nearest is {} at quality {}", wanted, got,
                         code.quality);
  }
  return {};
}

}  // namespace tiny::codec
