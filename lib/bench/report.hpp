#pragma once
// Reports of a bench run: the table of means, the speed table, BD metrics against an anchor, JSON and
// CSV. Every table names each codec's setting with its unit and marks published curves.
#include "bench/bd_rate.hpp"
#include "bench/results.hpp"
#include "bench/run.hpp"
#include "core/table.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

struct BdRow {
  std::string name;
  bool published = false;  // the curve was read from a results file, not measured
  bool ok = false;         // false when the curve does not overlap the anchor (values then undefined)
  double rate_pchip = 0, psnr_pchip = 0, rate_poly = 0, psnr_poly = 0;
};

// The table of means per codec and setting (value and unit).
Table means_table(const BenchResult& result);
// Mean encode and decode times and speeds of each codec over all its points.
Table speed_table(const BenchResult& result);
// BD-rate and BD-PSNR of each curve against `anchor` (the anchor itself is left out).
std::vector<BdRow> bd_rows(const Curve& anchor, const std::vector<Curve>& curves);
// The BD table, naming the anchor; published rows are named "published: NAME".
Table bd_table(const std::string& anchor, const std::vector<BdRow>& rows);
// Everything as JSON: per-codec points (setting, unit, means and per image), curves in CompressAI
// layout, BD rows.
Json report_json(const BenchResult& result, const std::vector<Curve>& curves, const std::string& anchor,
                 const std::vector<BdRow>& rows);
// One CSV line per codec × setting × image (header first).
std::string report_csv(const BenchResult& result);

}  // namespace tiny::bench
