#include "dataset/report_html.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "dataset/report.hpp"
#include "image/decode.hpp"
#include "plot/plot.hpp"

#include <fmt/format.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <cctype>

namespace fs = std::filesystem;

namespace tiny::dataset {
namespace {

constexpr int kLineHeight = 14, kFontSize = 11;

// A file:// URL of a file on disk (tar members have none: "").
std::string file_url(const SourceFile& f) {
  if (f.member) return "";
  std::string path = fs::absolute(f.path).lexically_normal().string(), out = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::string("/-_.~").find(char(c)) != std::string::npos) out += char(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

// The path as a link to the full image where the browser can open it.
std::string linked(const SourceFile& f) {
  std::string url = file_url(f);
  return url.empty() ? html_escape(f.path) : fmt::format("<a href=\"{}\">{}</a>", html_escape(url), html_escape(f.path));
}

image::Image thumbnail(const SourceFile& file, int thumb) {
  image::DecodeOptions d;
  d.min_width = d.min_height = thumb;
  image::Image img = image::decode_image(read_source(file), file.path, d);
  double f = std::min(1.0, double(thumb) / std::max(img.width, img.height));
  image::Image out = image::Image::blank(std::max(1, int(img.width * f)), std::max(1, int(img.height * f)));
  cv::Mat src(img.height, img.width, CV_8UC3, img.pixels.data());
  cv::Mat dst(out.height, out.width, CV_8UC3, out.pixels.data());
  cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_AREA);
  return out;
}

}  // namespace

image::Image contact_sheet(const std::vector<SheetTile>& tiles, int thumb) {
  const int gap = 8;
  size_t lines = 0;
  for (const auto& t : tiles) lines = std::max(lines, t.caption.size());
  const int tile_h = thumb + 2 * gap + int(lines) * kLineHeight;
  image::Image sheet = image::Image::blank(int(tiles.size()) * (thumb + gap) + gap, tile_h);
  std::fill(sheet.pixels.begin(), sheet.pixels.end(), uint8_t(255));
  cv::Mat m(sheet.height, sheet.width, CV_8UC3, sheet.pixels.data());
  std::vector<plot::TextBlock> captions;
  for (size_t i = 0; i < tiles.size(); ++i) {
    image::Image t;
    try {
      t = thumbnail(tiles[i].file, thumb);
    } catch (const Error&) {
      t = image::Image::blank(thumb, thumb);
      std::fill(t.pixels.begin(), t.pixels.end(), uint8_t(128));
    }
    int left = gap + int(i) * (thumb + gap);
    int x0 = left + (thumb - t.width) / 2, y0 = gap + (thumb - t.height) / 2;
    for (int y = 0; y < t.height; ++y) std::copy(t.at(0, y), t.at(0, y) + 3 * t.width, sheet.at(x0, y0 + y));
    const uint32_t colour = tiles[i].mark == TileMark::kept ? 0x008c00 : tiles[i].mark == TileMark::removed ? 0xc70000 : 0x003ddb;
    cv::rectangle(m, cv::Rect(left - 3, gap - 3, thumb + 6, thumb + 6), cv::Scalar(colour >> 16, colour >> 8 & 0xff, colour & 0xff), 2);
    plot::TextBlock caption{double(left), double(thumb + gap + 6), double(thumb), {}};
    for (size_t l = 0; l < tiles[i].caption.size(); ++l) caption.lines.push_back({tiles[i].caption[l], l == 0 ? colour : 0});
    captions.push_back(std::move(caption));
  }
  plot::draw_text(sheet.pixels.data(), sheet.width, sheet.height, captions, kFontSize, kLineHeight);
  return sheet;
}

std::vector<SheetTile> group_tiles(const std::vector<FileRecord>& records, const Selection& s, const DuplicateGroup& g) {
  std::vector<SheetTile> tiles;
  for (size_t m : g.members) {
    const FileRecord& r = records[m];
    SheetTile t{r.file, {}, m == g.keep ? TileMark::kept : r.reference ? TileMark::reference : TileMark::removed};
    t.caption.push_back(m == g.keep ? (r.reference ? "KEPT (reference)" : "KEPT") : r.reference ? "reference" : "removed");
    t.caption.push_back(fs::path(r.file.path).filename().string());
    t.caption.push_back(fmt::format("{}x{}, {} KB", r.info.display_width(), r.info.display_height(), (r.size + 512) / 1024));
    if (m != g.keep) {
      int d = record_distance(r, records[g.keep], s.match);
      bool exact = r.content == records[g.keep].content && r.size == records[g.keep].size;
      t.caption.push_back(exact ? "exact copy" : d == kNoMatch ? "via group" : fmt::format("distance {}", d));
    }
    tiles.push_back(std::move(t));
  }
  return tiles;
}

plot::LinePlot distance_histogram(const Selection& s) {
  const int t = s.match.threshold, lo = std::max(0, t - histogram_margin(s.match.kind)), hi = t + histogram_margin(s.match.kind);
  plot::LinePlot p;
  p.title = fmt::format("Pairs of distinct files by {} distance", hash_kind_name(s.match.kind));
  p.x_label = "distance";
  p.y_label = "pairs";
  p.x = {lo - 0.5, hi + 0.5};
  p.y.lo = 0;  // counts: a top of at least 6 (the threshold line's) keeps the ticks whole numbers
  plot::Series grouped{"at or below the threshold: grouped", {}, {}}, apart{"above the threshold", {}, {}};
  grouped.bars = apart.bars = true;
  std::vector<double> count(size_t(hi - lo + 1));
  for (const HashPair& pair : s.pairs)
    if (pair.distance >= lo && pair.distance <= hi) ++count[size_t(pair.distance - lo)];
  for (int d = lo; d <= hi; ++d) {
    grouped.x.push_back(d), grouped.y.push_back(d <= t ? count[size_t(d - lo)] : 0);
    apart.x.push_back(d), apart.y.push_back(d <= t ? 0 : count[size_t(d - lo)]);
  }
  const double top = std::max(6.0, *std::max_element(count.begin(), count.end()));
  if (top == 6) p.y.hi = top;
  p.series = {grouped, apart, {fmt::format("threshold {}", t), {t + 0.5, t + 0.5}, {0, top}, false, true}};
  return p;
}

std::string report_html(const std::vector<FileRecord>& records, const Selection& s, const std::string& histogram,
                        const std::vector<std::string>& sheets) {
  nlohmann::json sum = summary_json(records, s);
  std::string html = "<!doctype html>\n<meta charset=\"utf-8\">\n<title>tiny filter-dataset report</title>\n"
                     "<style>body{font-family:sans-serif} td{padding:2px 8px} .kept{color:#080} .removed{color:#b00}</style>\n";
  html += fmt::format("<h1>tiny filter-dataset report</h1>\n<p>{} files: {} kept, {} removed ({} unreadable, {} filtered, "
                      "{} duplicates in {} groups){}.</p>\n",
                      sum["files"].get<size_t>(), s.kept.size(), s.removed.size(), sum["unreadable"].get<size_t>(),
                      sum["filtered"].get<size_t>(), sum["duplicates"].get<size_t>(), s.groups.size(),
                      s.references.empty() ? "" : fmt::format("; {} reference files", s.references.size()));
  html += fmt::format("<h2>Pair distances around the threshold</h2>\n<p>Pairs of distinct files by {} distance; pairs at "
                      "or below the threshold were grouped as near duplicates.</p>\n<img src=\"{}\" alt=\"pair distances\">\n",
                      hash_kind_name(s.match.kind), histogram);
  html += "<h2>Duplicate groups</h2>\n";
  for (size_t gi = 0; gi < s.groups.size(); ++gi) {
    const DuplicateGroup& g = s.groups[gi];
    html += fmt::format("<h3 id=\"group-{0}\">Group {0}</h3>\n<img src=\"{1}\" alt=\"group {0}\">\n<table>\n", gi, sheets[gi]);
    for (size_t m : g.members) {
      const FileRecord& r = records[m];
      std::string status = m == g.keep ? "<b class=\"kept\">kept</b>" : r.reference ? "reference" : "<span class=\"removed\">removed</span>";
      int d = m == g.keep ? 0 : record_distance(r, records[g.keep], s.match);
      html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}x{}</td><td>{} bytes</td><td>{}</td></tr>\n", status, linked(r.file),
                          r.info.display_width(), r.info.display_height(), r.size,
                          m == g.keep ? "" : d == kNoMatch ? "via group" : fmt::format("distance {}", d));
    }
    html += "</table>\n";
  }
  html += "<h2>All removals</h2>\n<table>\n<tr><th>file</th><th>reason</th></tr>\n";
  for (const RemovedFile& r : s.removed)
    html += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", linked(records[r.index].file), html_escape(r.reason));
  html += "</table>\n";
  return html;
}

}  // namespace tiny::dataset
