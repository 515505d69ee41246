#include "dataset/dedup_quality.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "dataset/perceptual_hash.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace tiny::dataset {
namespace {

cv::Mat as_mat(image::Image& img) { return cv::Mat(img.height, img.width, CV_8UC3, img.pixels.data()); }

image::Image from_mat(const cv::Mat& m) {
  image::Image out = image::Image::blank(m.cols, m.rows);
  cv::Mat dst = as_mat(out);
  m.copyTo(dst);
  return out;
}

image::Image jpeg_round_trip(const image::Image& img, int quality) {
  image::EncodeOptions o;
  o.quality = quality;
  return image::decode_image(image::encode_image(img, image::Format::jpeg, o), "variant");
}

image::Image crop(image::Image img, double fraction) {
  int dx = int(img.width * fraction / 2), dy = int(img.height * fraction / 2);
  return from_mat(as_mat(img)(cv::Rect(dx, dy, img.width - 2 * dx, img.height - 2 * dy)));
}

image::Image adjust(image::Image img, double gain, double offset) {
  cv::Mat out;
  as_mat(img).convertTo(out, CV_8UC3, gain, offset);
  return from_mat(out);
}

image::Image rotate(image::Image img, double degrees) {
  cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(img.width / 2.f, img.height / 2.f), degrees, 1.0), out;
  cv::warpAffine(as_mat(img), out, m, cv::Size(img.width, img.height), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  return from_mat(out);
}

image::Image resize_by(image::Image img, double f) {
  cv::Mat out;
  cv::resize(as_mat(img), out, cv::Size(), f, f, cv::INTER_AREA);
  return from_mat(out);
}

image::Image mirror(image::Image img) {
  cv::Mat out;
  cv::flip(as_mat(img), out, 1);
  return from_mat(out);
}

image::Image text_overlay(image::Image img) {
  cv::Mat m = as_mat(img);
  double scale = img.width / 400.0;
  cv::putText(m, "tiny sample (c) 2026", cv::Point(img.width / 20, img.height * 9 / 10), cv::FONT_HERSHEY_SIMPLEX,
              scale, cv::Scalar(255, 255, 255), std::max(1, int(2 * scale)));
  return img;
}

bool is_mirror(const std::string& name) { return name == "mirror"; }

}  // namespace

std::vector<std::pair<std::string, image::Image>> make_variants(const image::Image& photo) {
  return {{"resize-50%", resize_by(photo, 0.5)},  {"jpeg-q30", jpeg_round_trip(photo, 30)},
          {"jpeg-q60", jpeg_round_trip(photo, 60)}, {"jpeg-q90", jpeg_round_trip(photo, 90)},
          {"crop-5%", crop(photo, 0.05)},           {"crop-10%", crop(photo, 0.10)},
          {"brighter", adjust(photo, 1.0, 30)},     {"contrast-70%", adjust(photo, 0.7, 38)},
          {"rotate-3deg", rotate(photo, 3)},        {"text", text_overlay(photo)},
          {"mirror", mirror(photo)}};
}

std::vector<image::Image> load_photos(const std::string& folder, int count) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw UsageError(file_error(folder, "no such folder of photos"));
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(folder, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    std::string ext = it->path().extension().string();
    if (it->is_regular_file() && (ext == ".jpg" || ext == ".jpeg" || ext == ".png")) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  // Spread the picks over the sorted list so that several sub-collections are represented.
  std::vector<std::string> picked;
  size_t n = std::min(files.size(), size_t(std::max(count, 0)));
  for (size_t i = 0; i < n; ++i) picked.push_back(files[i * files.size() / n]);
  if (picked.size() < 2) throw UsageError(file_error(folder, "needs at least 2 photos"));
  std::vector<image::Image> out(picked.size());
  parallel_for(0, picked.size(), [&](size_t i) {
    image::DecodeOptions d;
    d.min_width = d.min_height = 512;
    out[i] = image::read_image(picked[i], d);
  });
  return out;
}

nlohmann::json dedup_quality(const std::vector<image::Image>& photos) {
  const std::vector<HashKind> kinds = {HashKind::ahash, HashKind::dhash, HashKind::phash, HashKind::phash256};
  struct Item {
    size_t photo;
    std::string variant;  // "" for the original
    std::vector<PerceptualHash> hashes;
  };
  std::vector<std::vector<Item>> per_photo(photos.size());
  parallel_for(0, photos.size(), [&](size_t p) {
    auto hash_all = [&](const image::Image& img) {
      std::vector<PerceptualHash> h;
      for (HashKind k : kinds) h.push_back(compute_hash(img, k));
      return h;
    };
    per_photo[p].push_back({p, "", hash_all(photos[p])});
    for (auto& [name, img] : make_variants(photos[p])) per_photo[p].push_back({p, name, hash_all(img)});
  });
  std::vector<Item> items;
  for (auto& v : per_photo) items.insert(items.end(), v.begin(), v.end());
  nlohmann::json out = {{"photos", photos.size()}, {"variants_per_photo", per_photo[0].size() - 1}};
  for (size_t k = 0; k < kinds.size(); ++k) {
    int max_t = hash_bits(kinds[k]) / 4;
    // Positives: original vs each of its variants; negatives: originals vs other photos' items.
    std::vector<size_t> pos(max_t + 1), pos_mirror(max_t + 1), neg(max_t + 1);
    size_t n_pos = 0, n_mirror = 0;
    for (const Item& a : items) {
      if (!a.variant.empty()) continue;
      for (const Item& b : items) {
        if (&a == &b || (b.variant.empty() && b.photo < a.photo)) continue;
        int d = hamming(a.hashes[k], b.hashes[k]);
        if (d > max_t) continue;
        auto& bucket = b.photo != a.photo ? neg : is_mirror(b.variant) ? pos_mirror : pos;
        ++bucket[d];
      }
      for (const Item& b : items)
        if (b.photo == a.photo && !b.variant.empty()) ++(is_mirror(b.variant) ? n_mirror : n_pos);
    }
    nlohmann::json rows = nlohmann::json::array();
    size_t tp = 0, tpm = 0, fp = 0;
    nlohmann::json best;
    for (int t = 0; t <= max_t; ++t) {
      tp += pos[t];
      tpm += pos_mirror[t];
      fp += neg[t];
      double precision = tp + tpm + fp ? double(tp + tpm) / double(tp + tpm + fp) : 1.0;
      double recall = n_pos ? double(tp) / n_pos : 0.0;
      nlohmann::json row = {{"threshold", t}, {"recall", recall}, {"recall_mirror", n_mirror ? double(tpm) / n_mirror : 0.0},
                            {"precision", precision}, {"false_pairs", fp}};
      if (precision >= 0.99) best = row;
      rows.push_back(row);
    }
    out["kinds"][hash_kind_name(kinds[k])] = {{"thresholds", rows}, {"best_at_precision_0.99", best}};
  }
  return out;
}

}  // namespace tiny::dataset
