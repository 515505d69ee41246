#pragma once
// Rate control: the quality that makes an image's bitstream meet a target size, bits per pixel or
// PSNR. The search runs over an ordered grid of qualities on which the measure grows monotonically
// (a variable-rate model's continuous quality in steps of 1/1000, or the shipped levels of a
// fixed-rate architecture), by regula falsi on the measure's logarithm (rates) or value (PSNR),
// safeguarded by bisection: a few probes, each one coding of the image.
#include "codec/codec.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace tiny::codec {

// What a target measures: the `.tic`'s bytes, its bits per pixel, or the reconstruction's PSNR (dB).
enum class TargetKind { size, bpp, psnr };

// A target and how close counts as meeting it.
struct RateTarget {
  TargetKind kind = TargetKind::bpp;
  double value = 0;
  // Met when |measure / value - 1| <= tolerance (size, bpp) or |measure - value| <= tolerance dB (PSNR).
  double tolerance = 0;
};

// A target with the default tolerance: 2 % of the size or bpp, 0.05 dB of PSNR. Throws UsageError for
// a value that is not positive and finite.
RateTarget rate_target(TargetKind kind, double value);
// Bytes from "40000", "40k", "1.5M" (k = 1000, M = 1000000) or "40Ki", "2Mi" (1024, 1048576), an
// optional trailing "B" allowed; throws UsageError naming `text` otherwise.
double parse_size(const std::string& text);
// "size", "bpp" or "psnr".
std::string target_name(TargetKind kind);

// How a search ended: the target met; the nearest point the grid holds (no grid point is within the
// tolerance, or the probe budget ran out); or infeasible, the target lying below the lowest or above
// the highest quality's measure (the result is that limit).
enum class SearchStatus { met, nearest, below_range, above_range };
// "met", "nearest", "below range", "above range".
std::string status_name(SearchStatus status);

// One probe of a search: a grid index and what it measured.
struct SearchProbe {
  int index = 0;
  double measure = 0;
};

// Settings of search_grid().
struct SearchSettings {
  int start = 0;            // the first grid index probed
  double slope = 0;         // the prior growth of the (log) measure per grid step, > 0, for the second probe
  bool logarithmic = true;  // search on log(measure) (rates) rather than the measure itself (PSNR)
  int max_probes = 24;
};

// The outcome of search_grid(): the chosen index, how the search ended and every probe in order.
struct SearchOutcome {
  int index = 0;
  SearchStatus status = SearchStatus::met;
  std::vector<SearchProbe> probes;
};

// Searches grid indexes 0..count-1 for one whose measure(index) meets `target`, measure growing with
// the index. Each index is measured at most once. Throws UsageError if count < 1.
SearchOutcome search_grid(int count, const RateTarget& target, const SearchSettings& settings,
                          const std::function<double(int index)>& measure);

// An image coded to meet a target.
struct TargetedCode {
  Bytes tic;
  double quality = 0;       // the quality coded at (a variable-rate model's real quality, or a level)
  const Codec* codec = nullptr;  // the model that coded it (one of those given)
  double measure = 0;       // the target's measure at that quality
  double psnr = 0;          // the reconstruction's PSNR, when `reconstruction` was asked for or the target is PSNR
  SearchStatus status = SearchStatus::met;
  int probes = 0;           // codings of the image the search ran
  double seconds = 0;       // wall time of the search, the analysis included
  double analysis_seconds = 0;  // of which running the analysis transform(s)
};

// Codes `image` to meet `target` with one variable-rate model (a search over its continuous quality,
// the analysis transform run once), or with fixed-rate models of one architecture given lowest quality
// first (a search over them). `reconstruction`, if given, receives the chosen bitstream's reconstruction.
// Throws UsageError when `codecs` is empty, or holds a variable-rate model among others.
TargetedCode compress_to_target(const std::vector<const Codec*>& codecs, const image::Image& image,
                                const RateTarget& target, image::Image* reconstruction = nullptr);

// The report of a targeted coding: target, value, status, measure, error (relative for rates, dB for
// PSNR), probes, seconds and analysis_seconds.
nlohmann::json describe(const RateTarget& target, const TargetedCode& code);
// A one-line explanation when the target was not met ("" when it was), naming the limit reached.
std::string shortfall(const RateTarget& target, const TargetedCode& code);

}  // namespace tiny::codec
