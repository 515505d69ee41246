#include "bench/report.hpp"

#include "core/error.hpp"
#include "core/table.hpp"
#include "image/metrics.hpp"

#include <fmt/format.h>

namespace tiny::bench {
namespace {

Json measurement_json(const Measurement& m) {
  return {{"bytes", m.bytes},       {"bpp", m.bpp}, {"payload_bpp", m.payload_bpp},
          {"psnr_rgb", m.psnr},     {"ms_ssim", m.ms_ssim},
          {"ms_ssim_db", image::ms_ssim_db(m.ms_ssim)},
          {"encode_s", m.encode_s}, {"decode_s", m.decode_s}};
}

RdCurve psnr_curve(const Curve& c) { return {c.bpp, c.psnr}; }

}  // namespace

std::string render_means(const BenchResult& result) {
  Table t({"codec", "quality", "bpp", "payload bpp", "PSNR dB", "MS-SSIM", "MS-SSIM dB", "enc ms", "dec ms", "images"});
  for (const auto& cr : result.codecs)
    for (const auto& p : cr.points) {
      const Measurement& m = p.mean;
      if (p.count == 0) {
        t.add_row({cr.codec, fmt::format("{:g}", p.quality), "", "", "", "", "", "", "", "0"});
        continue;
      }
      t.add_row({cr.codec, fmt::format("{:g}", p.quality), fmt::format("{:.4f}", m.bpp),
                 fmt::format("{:.4f}", m.payload_bpp), fmt::format("{:.2f}", m.psnr),
                 fmt::format("{:.4f}", m.ms_ssim), fmt::format("{:.2f}", image::ms_ssim_db(m.ms_ssim)),
                 fmt::format("{:.1f}", m.encode_s * 1e3), fmt::format("{:.1f}", m.decode_s * 1e3),
                 std::to_string(p.count)});
    }
  return t.render();
}

std::vector<BdRow> bd_rows(const Curve& anchor, const std::vector<Curve>& curves) {
  std::vector<BdRow> rows;
  for (const Curve& c : curves) {
    if (c.name == anchor.name) continue;
    BdRow row{c.name};
    try {
      row.rate_pchip = bd_rate(psnr_curve(anchor), psnr_curve(c), Interpolation::pchip);
      row.psnr_pchip = bd_psnr(psnr_curve(anchor), psnr_curve(c), Interpolation::pchip);
      row.rate_poly = bd_rate(psnr_curve(anchor), psnr_curve(c), Interpolation::polynomial);
      row.psnr_poly = bd_psnr(psnr_curve(anchor), psnr_curve(c), Interpolation::polynomial);
      row.ok = true;
    } catch (const Error&) {
      row.ok = false;
    }
    rows.push_back(row);
  }
  return rows;
}

std::string render_bd(const std::string& anchor, const std::vector<BdRow>& rows) {
  Table t({"vs " + anchor, "BD-rate % (pchip)", "BD-PSNR dB (pchip)", "BD-rate % (cubic)", "BD-PSNR dB (cubic)"});
  for (const BdRow& r : rows) {
    if (!r.ok) {
      t.add_row({r.name, "no overlap", "", "", ""});
      continue;
    }
    t.add_row({r.name, fmt::format("{:+.2f}", r.rate_pchip), fmt::format("{:+.3f}", r.psnr_pchip),
               fmt::format("{:+.2f}", r.rate_poly), fmt::format("{:+.3f}", r.psnr_poly)});
  }
  return t.render();
}

Json report_json(const BenchResult& result, const std::vector<Curve>& curves, const std::string& anchor,
                 const std::vector<BdRow>& rows) {
  Json codecs = Json::array();
  for (const auto& cr : result.codecs) {
    Json points = Json::array();
    for (const auto& p : cr.points) {
      Json images = Json::array();
      for (size_t i = 0; i < p.images.size(); ++i)
        if (p.images[i].bytes > 0) {
          Json m = measurement_json(p.images[i]);
          m["file"] = result.files[i];
          images.push_back(m);
        }
      points.push_back({{"quality", p.quality}, {"images_ok", p.count}, {"mean", measurement_json(p.mean)}, {"images", images}});
    }
    codecs.push_back({{"codec", cr.codec}, {"points", points}});
  }
  Json jcurves = Json::array();
  for (const Curve& c : curves) jcurves.push_back(curve_to_json(c));
  Json bd = Json::array();
  for (const BdRow& r : rows) {
    if (!r.ok) {
      bd.push_back({{"name", r.name}, {"overlap", false}});
      continue;
    }
    bd.push_back({{"name", r.name}, {"overlap", true}, {"bd_rate_pchip", r.rate_pchip}, {"bd_psnr_pchip", r.psnr_pchip},
                  {"bd_rate_cubic", r.rate_poly}, {"bd_psnr_cubic", r.psnr_poly}});
  }
  return {{"images", result.files.size()}, {"skipped_images", result.skipped_images}, {"skipped", result.skipped},
          {"seconds", result.seconds},     {"codecs", codecs},  {"curves", jcurves},
          {"anchor", anchor},              {"bd", bd}};
}

std::string report_csv(const BenchResult& result) {
  std::string out = "codec,quality,file,bytes,bpp,payload_bpp,psnr_rgb,ms_ssim,ms_ssim_db,encode_s,decode_s\n";
  for (const auto& cr : result.codecs)
    for (const auto& p : cr.points)
      for (size_t i = 0; i < p.images.size(); ++i) {
        const Measurement& m = p.images[i];
        if (m.bytes == 0) continue;
        std::string file = result.files[i];
        if (file.find_first_of(",\"\n") != std::string::npos) {
          std::string quoted = "\"";
          for (char ch : file) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
          file = quoted + "\"";
        }
        out += fmt::format("{},{:g},{},{:.0f},{:.6f},{:.6f},{:.4f},{:.6f},{:.4f},{:.6f},{:.6f}\n", cr.codec, p.quality, file,
                           m.bytes, m.bpp, m.payload_bpp, m.psnr, m.ms_ssim, image::ms_ssim_db(m.ms_ssim), m.encode_s, m.decode_s);
      }
  return out;
}

}  // namespace tiny::bench
