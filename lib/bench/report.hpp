#pragma once
// Reports of a bench run: the table of means, BD metrics against an anchor, JSON and CSV.
#include "bench/bd_rate.hpp"
#include "bench/results.hpp"
#include "bench/run.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

struct BdRow {
  std::string name;
  bool ok = false;  // false when the curve does not overlap the anchor (values then undefined)
  double rate_pchip = 0, psnr_pchip = 0, rate_poly = 0, psnr_poly = 0;
};

// The table of means per codec and quality point.
std::string render_means(const BenchResult& result);
// BD-rate and BD-PSNR of each curve against `anchor` (the anchor itself is left out).
std::vector<BdRow> bd_rows(const Curve& anchor, const std::vector<Curve>& curves);
// The BD table, naming the anchor.
std::string render_bd(const std::string& anchor, const std::vector<BdRow>& rows);
// Everything as JSON: per-codec points (means and per image), curves in CompressAI layout, BD rows.
Json report_json(const BenchResult& result, const std::vector<Curve>& curves, const std::string& anchor,
                 const std::vector<BdRow>& rows);
// One CSV line per codec × quality × image (header first).
std::string report_csv(const BenchResult& result);

}  // namespace tiny::bench
