#include "file_batch.hpp"

#include "core/error.hpp"
#include "core/json_output.hpp"
#include "core/progress.hpp"
#include "core/table.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace tiny::cli {

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
