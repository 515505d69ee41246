#pragma once
// The bench report as one self-contained HTML page: RD plots (SVG), tables, side-by-side crops (PNG),
// every picture embedded as a data: URI, no scripts, no outside requests.
#include "bench/crops.hpp"
#include "core/table.hpp"

#include <string>
#include <utility>
#include <vector>

namespace tiny::bench {

struct ReportPage {
  std::string title;                                  // e.g. "kodak, 24 images"
  std::vector<std::string> plots_svg;                 // RD plots
  std::vector<std::pair<std::string, Table>> tables;  // heading and table
  std::vector<CropRow> crops;
  std::vector<std::string> notes;  // skipped images and codec failures
};

// The HTML text of the page.
std::string render_report_page(const ReportPage& page);
// RFC 4648 base64 of bytes (for data: URIs).
std::string base64(std::string_view bytes);

}  // namespace tiny::bench
