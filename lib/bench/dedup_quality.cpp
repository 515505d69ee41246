#include "bench/dedup_quality.hpp"

#include "bench/dedup_variants.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/parallel.hpp"
#include "dataset/perceptual_hash.hpp"
#include "dataset/tail_fit.hpp"
#include "dataset/view_hash.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>

namespace fs = std::filesystem;

namespace tiny::bench {

using namespace dataset;

namespace {

const std::vector<HashKind> kKinds = {HashKind::ahash, HashKind::dhash, HashKind::phash, HashKind::phash256};

struct Item {
  size_t photo = 0;
  std::string variant;  // "" for the original
  std::vector<PerceptualHash> hashes;  // one per kKinds
  Signature signature;
};

// Distance counts of one method: distinct-photo pairs (for the tail; for the views, also those whose
// colours agree), positives and negatives (for recall and precision) by distance; the last bucket
// collects "no match".
struct Counts {
  std::vector<uint64_t> distinct, distinct_colour, pos, pos_mirror, neg;
  explicit Counts(int max_d)
      : distinct(max_d + 2), distinct_colour(max_d + 2), pos(max_d + 2), pos_mirror(max_d + 2), neg(max_d + 2) {}
  void add(const Counts& o) {
    for (size_t d = 0; d < pos.size(); ++d) {
      distinct[d] += o.distinct[d];
      distinct_colour[d] += o.distinct_colour[d];
      pos[d] += o.pos[d];
      pos_mirror[d] += o.pos_mirror[d];
      neg[d] += o.neg[d];
    }
  }
};

// Threshold rows of one method: recall, mirror recall, precision and the extrapolated false pairs.
// `p_false(t)`: the probability that two distinct images match at threshold t.
nlohmann::json rows_json(const Counts& c, const std::function<double(int)>& p_false, const QualityOptions& o,
                         size_t n_pos, size_t n_mirror, int max_t, nlohmann::json& at_budget) {
  nlohmann::json rows = nlohmann::json::array();
  uint64_t tp = 0, tpm = 0, fp = 0;
  for (int t = 0; t <= max_t; ++t) {
    tp += c.pos[size_t(t)];
    tpm += c.pos_mirror[size_t(t)];
    fp += c.neg[size_t(t)];
    uint64_t found = tp + (o.mirror ? tpm : 0);
    double expected = expected_false_pairs(o.scale, 1.0, p_false(t));
    nlohmann::json row = {{"threshold", t},
                          {"recall", n_pos ? double(tp) / double(n_pos) : 0.0},
                          {"recall_mirror", n_mirror ? double(tpm) / double(n_mirror) : 0.0},
                          {"precision", found + fp ? double(found) / double(found + fp) : 1.0},
                          {"false_pairs", fp},
                          {"expected_false_pairs", expected}};
    if (expected <= o.budget) at_budget = row;
    rows.push_back(row);
  }
  return rows;
}

nlohmann::json fit_json(const TailFit& f) {
  return {{"intercept", f.intercept}, {"slope", f.slope}, {"first", f.first}, {"last", f.last}, {"pairs", f.total}};
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

}  // namespace

PhotoSplit photo_split_from_name(const std::string& name) {
  if (name == "all") return PhotoSplit::all;
  if (name == "tune") return PhotoSplit::tune;
  if (name == "held-out") return PhotoSplit::held_out;
  throw UsageError("unknown split '" + name + "' (choose all, tune or held-out)");
}

bool is_held_out(const std::string& path) { return fnv1a(fs::path(path).filename().string()) & 1; }

std::vector<Photo> load_photos(const std::string& folder, int count, PhotoSplit split) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw UsageError(file_error(folder, "no such folder of photos"));
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(folder, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (!it->is_regular_file() || (ext != ".jpg" && ext != ".jpeg" && ext != ".png")) continue;
    if (split != PhotoSplit::all && is_held_out(it->path().string()) != (split == PhotoSplit::held_out)) continue;
    files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  // Spread the picks over the sorted list so that several sub-collections are represented.
  std::vector<std::string> picked;
  size_t n = count > 0 ? std::min(files.size(), size_t(count)) : files.size();
  for (size_t i = 0; i < n; ++i) picked.push_back(files[i * files.size() / n]);
  if (picked.size() < 2) throw UsageError(file_error(folder, "needs at least 2 photos"));
  std::vector<Photo> out(picked.size());
  parallel_for(0, picked.size(), [&](size_t i) {
    image::DecodeOptions d;
    d.min_width = d.min_height = 512;
    Bytes bytes = read_file(picked[i]);
    image::Image img = image::decode_image(bytes, picked[i], d);
    out[i] = {picked[i], std::move(bytes), std::move(img)};
  });
  return out;
}

nlohmann::json dedup_quality(const std::vector<Photo>& photos, const QualityOptions& o) {
  std::vector<CropFrame> frames = {CropFrame{}};
  for (const CropFrame& f : window_frames(o.window_cuts)) frames.push_back(f);
  const size_t windows = frames.size() - 1;
  auto hash_item = [&](size_t p, const std::string& variant, const Bytes& bytes) {
    const std::string origin = photos[p].path + (variant.empty() ? "" : " (" + variant + ")");
    Item it{p, variant, {}, encoded_view_hashes(bytes, origin, frames, o.mirror)};
    for (HashKind k : kKinds) {
      image::DecodeOptions d;
      d.min_width = d.min_height = hash_input_side(k);
      it.hashes.push_back(compute_hash(image::decode_image(bytes, origin, d), k));
    }
    return it;
  };
  std::vector<std::vector<Item>> per_photo(photos.size());
  parallel_for(0, photos.size(), [&](size_t p) {
    per_photo[p].push_back(hash_item(p, "", photos[p].bytes));
    for (auto& [name, img] : make_variants(photos[p].image, fnv1a(photos[p].path)))
      per_photo[p].push_back(hash_item(p, name, image::encode_image(img, image::Format::jpeg)));
  });
  std::vector<Item> items;
  for (auto& v : per_photo) items.insert(items.end(), v.begin(), v.end());

  // Methods 0..3: the hash kinds; 4: the views (fine distance at the coarse threshold).
  const size_t views_method = kKinds.size();
  auto max_distance = [&](size_t m) { return m == views_method ? 256 : hash_bits(kKinds[m]); };
  std::vector<Counts> counts;
  for (size_t m = 0; m <= views_method; ++m) counts.emplace_back(max_distance(m));
  std::map<std::string, std::pair<size_t, size_t>> per_variant;  // found, total
  size_t n_pos = 0, n_mirror = 0;
  std::mutex merge;
  parallel_for(0, items.size(), [&](size_t ia) {
    const Item& a = items[ia];
    if (!a.variant.empty()) return;
    std::vector<Counts> local;
    for (size_t m = 0; m <= views_method; ++m) local.emplace_back(max_distance(m));
    std::map<std::string, std::pair<size_t, size_t>> local_variant;
    size_t pos = 0, mirror = 0;
    for (const Item& b : items) {
      if (&a == &b) continue;
      const bool same = b.photo == a.photo, distinct = b.variant.empty() && !same;
      if (distinct && b.photo < a.photo) continue;  // each pair of originals once
      const bool is_mirror = is_mirror_variant(b.variant);
      if (same) ++(is_mirror ? mirror : pos);
      for (size_t m = 0; m <= views_method; ++m) {
        int d = m == views_method ? match_distance(a.signature, b.signature, o.coarse_threshold)
                                  : hamming(a.hashes[m], b.hashes[m]);
        d = std::min(d, max_distance(m) + 1);
        Counts& c = local[m];
        ++(same ? (is_mirror ? c.pos_mirror : c.pos) : c.neg)[size_t(d)];
        if (distinct && m == views_method) {
          const size_t first_stage = size_t(match_distance(a.signature.views, b.signature.views, 64));
          ++c.distinct[first_stage];
          if (colours_agree(a.signature.colour, b.signature.colour, o.mirror)) ++c.distinct_colour[first_stage];
        } else if (distinct) {
          ++c.distinct[size_t(d)];
        }
        if (same && m == views_method) {
          auto& v = local_variant[b.variant];
          v.first += d <= o.fine_threshold;
          ++v.second;
        }
      }
    }
    std::lock_guard<std::mutex> lock(merge);
    for (size_t m = 0; m <= views_method; ++m) counts[m].add(local[m]);
    for (auto& [name, v] : local_variant) {
      per_variant[name].first += v.first;
      per_variant[name].second += v.second;
    }
    n_pos += pos;
    n_mirror += mirror;
  });

  nlohmann::json out = {{"photos", photos.size()},
                        {"variants_per_photo", per_photo[0].size() - 1},
                        {"distinct_pairs", photos.size() * (photos.size() - 1) / 2},
                        {"scale", o.scale},
                        {"budget", o.budget}};
  for (size_t m = 0; m < views_method; ++m) {
    TailFit fit = fit_lower_tail(counts[m].distinct);
    nlohmann::json at_budget;
    int max_t = hash_bits(kKinds[m]) / 4;
    nlohmann::json rows =
        rows_json(counts[m], [&](int t) { return fit.probability(t); }, o, n_pos, n_mirror, max_t, at_budget);
    out["kinds"][hash_kind_name(kKinds[m])] = {{"thresholds", rows}, {"at_budget", at_budget}, {"fit", fit_json(fit)},
                                               {"histogram", counts[m].distinct}};
  }
  // The views' first-stage statistic for distinct photos is match_distance over every pair of views
  // (no coarse stage, which only removes matches); its fitted tail, times the fraction of the distinct
  // pairs in the fitted range (the closest ~1 %) whose colours also agree, gives the false matches.
  const Counts& views = counts[views_method];
  TailFit fit = fit_lower_tail(views.distinct);
  uint64_t in_fit = 0, in_fit_colour = 0;
  for (int d = 0; d <= std::max(fit.last, 0); ++d) {
    in_fit += views.distinct[size_t(d)];
    in_fit_colour += views.distinct_colour[size_t(d)];
  }
  // One pass added to the count, so that a sample without any passing pair does not claim none.
  const double colour_pass = double(in_fit_colour + 1) / double(in_fit + 1);
  nlohmann::json at_budget;
  nlohmann::json rows = rows_json(
      views, [&](int t) { return fit.probability(t) * colour_pass; }, o, n_pos, n_mirror, 128, at_budget);
  nlohmann::json variants = nlohmann::json::object();
  for (auto& [name, v] : per_variant) variants[name] = double(v.first) / double(std::max<size_t>(v.second, 1));
  out["kinds"]["views"] = {{"coarse_threshold", o.coarse_threshold},
                           {"window_cuts", o.window_cuts},
                           {"windows", windows},
                           {"mirror", o.mirror},
                           {"thresholds", rows},
                           {"at_budget", at_budget},
                           {"default", rows[size_t(std::min(o.fine_threshold, 128))]},
                           {"fit", fit_json(fit)},
                           {"colour_pass_in_fit", colour_pass},
                           {"colour_pass_pairs", in_fit_colour},
                           {"fit_range_pairs", in_fit},
                           {"histogram", views.distinct},
                           {"histogram_colour_agrees", views.distinct_colour},
                           {"recall_per_variant", variants}};
  return out;
}

}  // namespace tiny::bench
