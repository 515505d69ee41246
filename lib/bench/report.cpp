#include "bench/report.hpp"

#include "bench/plot.hpp"
#include "core/error.hpp"
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

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

}  // namespace

Table means_table(const BenchResult& result) {
  Table t({"codec", "setting", "unit", "bpp", "payload bpp", "PSNR dB", "MS-SSIM", "MS-SSIM dB", "enc ms", "dec ms", "images"});
  for (const auto& cr : result.codecs)
    for (const auto& p : cr.points) {
      const Measurement& m = p.mean;
      if (p.count == 0) {
        t.add_row({cr.codec, fmt::format("{:g}", p.setting), cr.setting_unit, "", "", "", "", "", "", "", "0"});
        continue;
      }
      t.add_row({cr.codec, fmt::format("{:g}", p.setting), cr.setting_unit, fmt::format("{:.4f}", m.bpp),
                 fmt::format("{:.4f}", m.payload_bpp), fmt::format("{:.2f}", m.psnr),
                 fmt::format("{:.4f}", m.ms_ssim), fmt::format("{:.2f}", image::ms_ssim_db(m.ms_ssim)),
                 fmt::format("{:.1f}", m.encode_s * 1e3), fmt::format("{:.1f}", m.decode_s * 1e3),
                 std::to_string(p.count)});
    }
  return t;
}

Table speed_table(const BenchResult& result) {
  Table t({"codec", "points", "enc ms", "dec ms", "enc MP/s", "dec MP/s"});
  for (const auto& cr : result.codecs) {
    double enc = 0, dec = 0, pixels = 0;  // sums over the points of mean times and mean pixels per image
    int points = 0;
    for (const auto& p : cr.points) {
      if (p.count == 0) continue;
      ++points;
      enc += p.mean.encode_s, dec += p.mean.decode_s;
      for (const Measurement& m : p.images)
        if (m.bytes > 0) pixels += m.bytes * 8 / m.bpp / p.count;  // bpp = bits / pixels
    }
    if (points == 0) {
      t.add_row({cr.codec, "0"});
      continue;
    }
    enc /= points, dec /= points, pixels /= points;
    t.add_row({cr.codec, std::to_string(points), fmt::format("{:.1f}", enc * 1e3), fmt::format("{:.1f}", dec * 1e3),
               fmt::format("{:.2f}", pixels / enc / 1e6), fmt::format("{:.2f}", pixels / dec / 1e6)});
  }
  return t;
}

std::vector<BdRow> bd_rows(const Curve& anchor, const std::vector<Curve>& curves) {
  std::vector<BdRow> rows;
  for (const Curve& c : curves) {
    if (c.name == anchor.name) continue;
    BdRow row{c.name, c.published};
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

Table bd_table(const std::string& anchor, const std::vector<BdRow>& rows) {
  Table t({"vs " + anchor, "BD-rate % (pchip)", "BD-PSNR dB (pchip)", "BD-rate % (cubic)", "BD-PSNR dB (cubic)"});
  for (const BdRow& r : rows) {
    const std::string name = display_name(r.name, r.published);
    if (!r.ok) {
      t.add_row({name, "no overlap", "", "", ""});
      continue;
    }
    t.add_row({name, fmt::format("{:+.2f}", r.rate_pchip), fmt::format("{:+.3f}", r.psnr_pchip),
               fmt::format("{:+.2f}", r.rate_poly), fmt::format("{:+.3f}", r.psnr_poly)});
  }
  return t;
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
      points.push_back({{"setting", p.setting}, {"setting_unit", cr.setting_unit}, {"images_ok", p.count},
                        {"mean", measurement_json(p.mean)}, {"images", images}});
    }
    codecs.push_back({{"codec", cr.codec}, {"setting_unit", cr.setting_unit}, {"points", points}});
  }
  Json jcurves = Json::array();
  for (const Curve& c : curves) {
    Json j = curve_to_json(c);
    j["published"] = c.published;
    jcurves.push_back(j);
  }
  Json bd = Json::array();
  for (const BdRow& r : rows) {
    if (!r.ok) {
      bd.push_back({{"name", r.name}, {"published", r.published}, {"overlap", false}});
      continue;
    }
    bd.push_back({{"name", r.name}, {"published", r.published}, {"overlap", true}, {"bd_rate_pchip", r.rate_pchip},
                  {"bd_psnr_pchip", r.psnr_pchip}, {"bd_rate_cubic", r.rate_poly}, {"bd_psnr_cubic", r.psnr_poly}});
  }
  return {{"images", result.files.size()}, {"skipped_images", result.skipped_images}, {"skipped", result.skipped},
          {"seconds", result.seconds},     {"codecs", codecs},  {"curves", jcurves},
          {"anchor", anchor},              {"bd", bd}};
}

std::string report_csv(const BenchResult& result) {
  std::string out = "codec,setting,setting_unit,file,bytes,bpp,payload_bpp,psnr_rgb,ms_ssim,ms_ssim_db,encode_s,decode_s\n";
  for (const auto& cr : result.codecs)
    for (const auto& p : cr.points)
      for (size_t i = 0; i < p.images.size(); ++i) {
        const Measurement& m = p.images[i];
        if (m.bytes == 0) continue;
        out += fmt::format("{},{:g},{},{},{:.0f},{:.6f},{:.6f},{:.4f},{:.6f},{:.4f},{:.6f},{:.6f}\n", csv_field(cr.codec), p.setting,
                           cr.setting_unit, csv_field(result.files[i]), m.bytes, m.bpp, m.payload_bpp, m.psnr, m.ms_ssim,
                           image::ms_ssim_db(m.ms_ssim), m.encode_s, m.decode_s);
      }
  return out;
}

}  // namespace tiny::bench
