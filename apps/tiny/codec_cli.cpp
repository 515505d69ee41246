#include "codec_cli.hpp"

#include "core/error.hpp"
#include "core/json_output.hpp"
#include "core/progress.hpp"
#include "core/table.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace tiny::cli {

void add_model_options(CLI::App* sub, ModelChoice& c) {
  sub->add_option("-m,--model", c.model, "Model file (.tmodel), or a model name in models/");
  sub->add_option("--arch", c.arch, "Architecture of the shipped model (compress default: mbt2018-mean)");
  sub->add_option("--quality", c.quality,
                  "Quality: picks the shipped model of that level (1..8, cheng2020 1..6; compress default: 3), or "
                  "any real value in a variable-rate model's range (e.g. 2.7)");
  sub->add_flag("--untrained", c.untrained,
                "With --arch/--quality: use a random-initialised model (seed 0), for testing only");
  sub->add_flag("--exact", c.exact,
                "Reconstruct with the fixed-order synthesis: the same pixels on every machine, a few times slower");
}

const codec::Codec& ModelCache::get(const ModelChoice& c, const std::string& arch_default, double quality_default) {
  if (!c.model.empty() && (!c.arch.empty() || c.untrained))
    throw UsageError("give either -m/--model or --arch/--untrained, not both");
  const std::string arch = c.arch.empty() ? arch_default : c.arch;
  const double quality = c.quality != 0 ? c.quality : quality_default;
  const bool variable = c.model.empty() && codec::rate_levels(arch) > 0;
  const int level = int(quality);
  if (c.model.empty() && !variable && double(level) != quality)
    throw UsageError(fmt::format("--quality {}: {} models come in whole quality levels", quality, arch));
  std::string key;
  if (!c.model.empty()) {
    key = codec::find_model(c.model);
  } else if (c.untrained) {
    codec::zoo_config(arch, variable ? codec::rate_levels(arch) : level);
    key = fmt::format("untrained:{}:{}", arch, variable ? 0 : level);
  } else {
    key = codec::shipped_model(arch, variable ? codec::rate_levels(arch) : level);
  }
  auto it = loaded_.find(key);
  if (it != loaded_.end()) return *it->second;
  auto codec = std::make_unique<codec::Codec>(
      c.untrained && c.model.empty()
          ? codec::Codec::untrained(codec::zoo_config(arch, variable ? codec::rate_levels(arch) : level), 0)
          : codec::Codec::from_file(key));
  codec->set_exact_reconstruction(c.exact);
  if (codec::rate_levels(codec->info().arch) > 0) {
    codec->set_quality(quality);
  } else if (!c.model.empty() && c.quality != 0) {
    throw UsageError(fmt::format("{}: a fixed-rate model ({} quality {}); --quality chooses among the shipped models "
                                 "or sets a variable-rate model's quality",
                                 key, codec->info().arch, codec->info().quality));
  }
  return *loaded_.emplace(key, std::move(codec)).first->second;
}

std::vector<const codec::Codec*> ModelCache::ladder(const ModelChoice& c, const std::string& arch_default) {
  const std::string arch = c.arch.empty() ? arch_default : c.arch;
  if (!c.model.empty() || codec::rate_levels(arch) > 0) {
    const codec::Codec& chosen = get(c, arch, c.quality != 0 ? c.quality : 3);
    if (codec::rate_levels(chosen.info().arch) == 0)
      throw UsageError(fmt::format("{}: a fixed-rate model ({} quality {}) has no other quality to search: give a "
                                   "variable-rate model, or --arch to search the shipped levels of an architecture",
                                   c.model, chosen.info().arch, chosen.info().quality));
    return {&chosen};
  }
  std::vector<const codec::Codec*> codecs;
  ModelChoice level = c;
  level.quality = 0;  // each model at its own level
  if (c.untrained) {
    for (int q = 1; q <= codec::max_quality(arch); ++q) codecs.push_back(&get(level, arch, q));
    return codecs;
  }
  level.arch.clear();
  for (const std::string& path : codec::shipped_models(arch)) {
    level.model = path;
    codecs.push_back(&get(level, arch, 0));
  }
  if (codecs.empty()) codec::shipped_model(arch, 1);  // throws: none is shipped, saying where it looked
  return codecs;
}

std::string output_path(const InputFile& input, const std::string& output, bool several, const std::string& ext) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool folder = several || (!output.empty() && (output.back() == '/' || fs::is_directory(output, ec)));
  if (!output.empty() && !folder) return output;
  if (input.path == "-") {
    if (several) throw UsageError("stdin ('-') can only be given alone");
    return "-";
  }
  fs::path name = fs::path(input.relative.empty() ? fs::path(input.path).filename().string() : input.relative);
  fs::path out = fs::path(input.path).replace_extension(ext);
  if (!output.empty()) {
    out = (fs::path(output) / name).replace_extension(ext);
    fs::create_directories(out.parent_path(), ec);
    if (ec) throw Error(file_error(out.parent_path().string(), "cannot create output folder: " + ec.message()));
  }
  // A default name is never the input's own (an image named *.tic given to compress, say).
  if (fs::absolute(out).lexically_normal() == fs::absolute(input.path).lexically_normal())
    throw Error(file_error(input.path, "its default output name is its own name: give -o"));
  return out.string();
}

int for_each_file(const std::vector<std::string>& given, const std::function<bool(const std::string&)>& wanted,
                  const std::string& what, const std::string& output, const std::string& ext, bool metrics,
                  const GlobalOptions& g, const std::function<nlohmann::json(const std::string&, const std::string&)>& one) {
  const std::vector<InputFile> inputs = expand_folders(given, wanted, what);
  bool several = inputs.size() > 1;
  for (const InputFile& input : inputs) several |= !input.relative.empty();
  nlohmann::json results = nlohmann::json::array();
  std::vector<std::string> headers = {"file", "output", "size", "bytes", "bpp", "quality", "seconds"};
  if (metrics) headers.insert(headers.end(), {"PSNR", "MS-SSIM"});
  Table table(headers);
  int failures = 0;
  bool to_stdout = false;
  Progress progress("files", inputs.size(), "files");
  for (const InputFile& input : inputs) {
    const std::string& path = input.path;
    try {
      std::string out = output_path(input, output, several, ext);
      to_stdout |= out == "-";
      nlohmann::json r = one(path, out);
      std::vector<std::string> row = {path, out, fmt::format("{}x{}", int(r["width"]), int(r["height"])),
                                      std::to_string(size_t(r["bytes"])), fmt::format("{:.4f}", double(r["bpp"])),
                                      fmt::format("{}", double(r["quality"])), fmt::format("{:.3f}", double(r["seconds"]))};
      if (metrics)
        row.insert(row.end(), {fmt::format("{:.2f}", double(r["psnr"])),
                               r["ms_ssim"].is_null() ? "-" : fmt::format("{:.4f}", double(r["ms_ssim"]))});
      table.add_row(row);
      results.push_back(r);
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      ++failures;
      // Every message names its file: library errors that know no path (a model's memory limit) get it here.
      std::string name = path == "-" ? "<stdin>" : path;
      std::string what = e.what();
      if (what.rfind(name + ":", 0) != 0) what = file_error(name, what);
      std::fprintf(stderr, "tiny: error: %s\n", what.c_str());
      results.push_back({{"file", path}, {"error", what}});
    }
    progress.advance();
  }
  progress.finish();
  // The bitstream or image may own stdout: the report then goes to stderr.
  std::ostream& report = to_stdout ? std::cerr : std::cout;
  if (g.json)
    report << dump_json(json_document({{"files", results}}), 2) << std::endl;
  else if (table.rows() > 0)
    report << table.render();
  return batch_exit_code(failures, inputs.size() - failures, g);
}

}  // namespace tiny::cli
