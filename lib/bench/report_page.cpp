#include "bench/report_page.hpp"

#include "core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace tiny::bench {
namespace {

const char* const kStyle = R"(
body { font-family: "DejaVu Sans", sans-serif; margin: 24px auto; max-width: 1500px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.plots img { max-width: 100%; margin: 0 12px 12px 0; border: 1px solid #eee; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; white-space: nowrap; }
th { background: #f3f3f3; } td.num { text-align: right; }
.crops { display: flex; flex-wrap: wrap; gap: 10px; }
figure { margin: 0; font-size: 12px; text-align: center; }
figure img { width: 256px; height: 256px; image-rendering: pixelated; display: block; border: 1px solid #ccc; }
figcaption { margin-top: 3px; line-height: 1.35; }
.note { color: #666; font-size: 13px; }
)";

std::string data_uri(const std::string& type, std::string_view bytes) { return "data:" + type + ";base64," + base64(bytes); }

std::string figure(const CropTile& tile) {
  const std::string_view png(reinterpret_cast<const char*>(tile.png.data()), tile.png.size());
  const std::string caption = tile.codec.empty()
                                  ? "original<br>&nbsp;"
                                  : fmt::format("{} ({} {:g})<br>{:.3f} bpp · {:.2f} dB", html_escape(tile.codec),
                                                html_escape(tile.setting_unit), tile.setting, tile.bpp, tile.psnr);
  return fmt::format("<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>\n", data_uri("image/png", png),
                     tile.codec.empty() ? "original" : html_escape(tile.codec), caption);
}

}  // namespace

std::string base64(std::string_view bytes) {
  static const char* const kDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t v = 0;
    for (size_t k = 0; k < 3; ++k) v = v << 8 | (k < n ? uint8_t(bytes[i + k]) : 0);
    for (size_t k = 0; k < 4; ++k) out += k <= n ? kDigits[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

std::string render_report_page(const ReportPage& page) {
  std::string html = fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>tiny bench: {0}</title>\n"
                                 "<style>{1}</style>\n</head>\n<body>\n<h1>tiny bench: {0}</h1>\n",
                                 html_escape(page.title), kStyle);
  html += "<h2>Rate–distortion</h2>\n<p class=\"note\">Dashed curves with hollow markers are published numbers "
          "(CompressAI's results or --compare files), not measured in this run.</p>\n<div class=\"plots\">\n";
  for (const std::string& svg : page.plots_svg) html += fmt::format("<img src=\"{}\" alt=\"RD plot\">\n", data_uri("image/svg+xml", svg));
  html += "</div>\n";
  for (const auto& [heading, table] : page.tables) html += fmt::format("<h2>{}</h2>\n{}", html_escape(heading), table.render_html());
  if (!page.crops.empty()) {
    html += "<h2>Side by side</h2>\n<p class=\"note\">The same square of each image, shown at 2×: each codec at its "
            "setting whose bpp on that image is nearest the target; bpp and PSNR-RGB are of the whole image.</p>\n";
    for (const CropRow& row : page.crops) {
      html += fmt::format("<h3>{} near {:g} bpp <span class=\"note\">(square {}×{} at {}, {})</span></h3>\n<div class=\"crops\">\n",
                          html_escape(std::filesystem::path(row.file).filename().string()), row.target_bpp, row.size, row.size,
                          row.x, row.y);
      for (const CropTile& tile : row.tiles) html += figure(tile);
      html += "</div>\n";
    }
  }
  if (!page.notes.empty()) {
    html += "<h2>Skipped</h2>\n<ul>\n";
    for (const std::string& note : page.notes) html += "<li>" + html_escape(note) + "</li>\n";
    html += "</ul>\n";
  }
  return html + "</body>\n</html>\n";
}

}  // namespace tiny::bench
