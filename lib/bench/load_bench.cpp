#include "bench/load_bench.hpp"

#include "bench/photos.hpp"
#include "bench/timing.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/log.hpp"
#include "core/process.hpp"
#include "core/scratch_dir.hpp"
#include "core/threads.hpp"
#include "image/batch.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/load.hpp"
#include "image/opencv_codecs.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace tiny::bench {

using namespace image;

namespace {

constexpr int kResize = 256, kCrop = 224;

// Writes each photo resized to width x height as a quality-90 JPEG in `dir`; returns the paths.
std::vector<std::string> make_set(const std::vector<std::string>& photos, int width, int height,
                                  const fs::path& dir, const std::string& prefix) {
  std::vector<std::string> paths;
  for (size_t i = 0; i < photos.size(); ++i) {
    const Image out = resized_photo(photos[i], width, height);
    paths.push_back((dir / (prefix + std::to_string(i) + ".jpg")).string());
    write_image(paths.back(), out, true, {90});
  }
  return paths;
}

// The plain OpenCV path: full decode, shortest side to 256 with INTER_AREA, center crop, float,
// normalize, CHW.
void opencv_load(const std::string& path, float* out) {
  Bytes bytes = read_file(path);
  cv::Mat img = cv_decode(bytes.data(), bytes.size(), CvRead::color);
  if (img.empty()) throw Error(file_error(path, "OpenCV cannot decode it"));
  double s = double(kResize) / std::min(img.cols, img.rows);
  cv::Size size = img.cols <= img.rows ? cv::Size(kResize, int(img.rows * s)) : cv::Size(int(img.cols * s), kResize);
  cv::Mat resized, rgb, f;
  cv::resize(img, resized, size, 0, 0, cv::INTER_AREA);
  cv::Mat crop = resized(cv::Rect((size.width - kCrop) / 2, (size.height - kCrop) / 2, kCrop, kCrop));
  cv::cvtColor(crop, rgb, cv::COLOR_BGR2RGB);
  rgb.convertTo(f, CV_32FC3, 1.0 / 255);
  f -= cv::Scalar(0.485, 0.456, 0.406);
  cv::divide(f, cv::Scalar(0.229, 0.224, 0.225), f);
  std::vector<cv::Mat> planes;
  for (int c = 0; c < 3; ++c) planes.emplace_back(kCrop, kCrop, CV_32F, out + size_t(c) * kCrop * kCrop);
  cv::split(f, planes);
}

LoadSpec bench_spec() {
  LoadSpec spec;
  spec.resize = kResize;
  spec.filter = Filter::area;
  spec.crop = CropMode::center;
  spec.crop_width = spec.crop_height = kCrop;
  return spec;
}

// Runs the Pillow script; returns its seconds, or a negative value (with a log line) if it cannot run.
double pillow_seconds(const LoadBenchOptions& o, const std::vector<std::string>& files, int repeats) {
  if (run_command(shell_quote(o.python) + " -c 'import PIL, numpy' >/dev/null 2>&1").exit_code != 0) {
    log::warn("bench load: {} cannot import PIL and numpy; skipping the Pillow baseline", o.python);
    return -1;
  }
  std::string cmd = shell_quote(o.python) + " " + shell_quote(o.python_script) + " " + std::to_string(repeats);
  for (const auto& f : files) cmd += " " + shell_quote(f);
  CommandResult r = run_command(cmd);
  if (r.exit_code != 0) {
    log::warn("bench load: the Pillow script {} failed; skipping the Pillow baseline", o.python_script);
    return -1;
  }
  return nlohmann::json::parse(r.out).at("seconds").get<double>();
}

nlohmann::json bench_set(const LoadBenchOptions& o, const std::string& name, const std::vector<std::string>& files,
                         int repeats) {
  size_t images = files.size() * size_t(repeats);
  std::vector<float> out(3 * kCrop * kCrop);
  LoadSpec spec = bench_spec();
  set_opencv_threads(1);
  set_thread_count(2);
  // Untimed warm-up of every path (page cache, allocator, the 2-thread pool).
  load_batch(files, spec, true);
  load_tensor(files[0], spec, out.data());
  opencv_load(files[0], out.data());
  set_thread_count(1);
  log::info("bench load: {}: tiny, 1 thread", name);
  Timing tiny_t = time_of([&] {
    for (int r = 0; r < repeats; ++r)
      for (const auto& f : files) load_tensor(f, spec, out.data());
  });
  log::info("bench load: {}: OpenCV, 1 thread", name);
  Timing cv_t = time_of([&] {
    for (int r = 0; r < repeats; ++r)
      for (const auto& f : files) opencv_load(f, out.data());
  });
  std::vector<std::string> batch_files;
  for (int r = 0; r < repeats; ++r) batch_files.insert(batch_files.end(), files.begin(), files.end());
  set_thread_count(2);
  log::info("bench load: {}: tiny batch, 2 threads", name);
  Timing batch_t = time_of([&] {
    if (load_batch(batch_files, spec, true).failed() != 0) throw Error("bench load: a batch file failed");
  });
  log::info("bench load: {}: Pillow, 1 thread", name);
  double pil_s = pillow_seconds(o, files, repeats);

  // `ratio`: tiny's single-thread rate over a baseline's; for the batch, its rate over tiny's single.
  // `cores_used`: CPU time over wall time (how many cores the machine really gave the run).
  auto row = [&](const std::string& method, int threads, Timing t, double ratio) {
    nlohmann::json j = {{"set", name},         {"method", method},                {"threads", threads},
                        {"images", images},     {"seconds", t.wall},               {"images_per_s", images / t.wall},
                        {"ratio", ratio}};
    if (t.cpu > 0) j["cores_used"] = t.cpu / t.wall;
    return j;
  };
  double tiny_s = tiny_t.wall;
  nlohmann::json rows = nlohmann::json::array();
  rows.push_back(row("tiny", 1, tiny_t, 1.0));
  rows.push_back(row("tiny batch", 2, batch_t, tiny_s / batch_t.wall));
  rows.push_back(row("opencv", 1, cv_t, cv_t.wall / tiny_s));
  if (pil_s > 0) rows.push_back(row("pillow", 1, {pil_s, 0}, pil_s / tiny_s));
  return rows;
}

}  // namespace

nlohmann::json run_load_bench(const LoadBenchOptions& o) {
  ScratchDir dir("tiny-bench-load");
  size_t n_large = o.quick ? 2 : 4, n_small = o.quick ? 4 : 8;
  int rep_large = o.quick ? 1 : 3, rep_small = o.quick ? 2 : 5;
  std::vector<std::string> photos = find_photos(o.photos, n_small, "bench load");
  log::info("bench load: writing {} 4000x3000 and {} 768x512 JPEGs to {}", n_large, n_small, dir.path().string());
  std::vector<std::string> large(photos.begin(), photos.begin() + n_large);
  nlohmann::json rows = nlohmann::json::array();
  for (auto& r : bench_set(o, "4000x3000", make_set(large, 4000, 3000, dir.path(), "large"), rep_large)) rows.push_back(r);
  for (auto& r : bench_set(o, "768x512", make_set(photos, 768, 512, dir.path(), "small"), rep_small)) rows.push_back(r);
  return rows;
}

}  // namespace tiny::bench
