#include "bench/compressai_side_by_side.hpp"

#include "convert/checkpoint.hpp"
#include "convert/model_convert.hpp"
#include "core/data_paths.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/log.hpp"
#include "core/process.hpp"
#include "core/scratch_dir.hpp"
#include "core/threads.hpp"
#include "image/encode.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

namespace tiny::bench {
namespace {

// The last non-empty line of a text.
std::string last_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text.substr(text.find_last_of('\n') + 1);
}

std::string script_command(const CompressAIRun& run) { return shell_quote(run.python) + " " + shell_quote(run.script); }

// Runs the script with `arguments` (stderr kept in `dir`) and returns the JSON object of its last stdout
// line, which must hold a number under each of `keys`.
nlohmann::json run_script(const CompressAIRun& run, const std::string& arguments, const ScratchDir& dir,
                          std::initializer_list<const char*> keys) {
  const std::string log = dir.file("stderr");
  CommandResult r = run_command(fmt::format("{} {} 2>{}", script_command(run), arguments, shell_quote(log)));
  if (r.exit_code != 0) {
    std::error_code ec;
    std::string why = std::filesystem::exists(log, ec) ? last_line(read_text_file(log)) : "";
    throw Error(fmt::format("CompressAI ({} {}) failed with status {}: {}", run.python, run.script, r.exit_code,
                            why.empty() ? "no message" : why));
  }
  nlohmann::json result = nlohmann::json::parse(last_line(r.out), nullptr, false);
  for (const char* key : keys)
    if (!result.is_object() || !result.contains(key) || !result[key].is_number())
      throw Error(fmt::format("CompressAI ({}) printed no number '{}' in its last line: '{}'", run.script, key,
                              last_line(r.out)));
  return result;
}

void write_int32s(const std::string& path, const std::vector<int32_t>& values) {
  Bytes bytes(values.size() * 4);
  for (size_t i = 0; i < values.size(); ++i)
    for (int b = 0; b < 4; ++b) bytes[4 * i + size_t(b)] = uint8_t(uint32_t(values[i]) >> (8 * b));
  write_file_atomic(path, bytes, false);
}

}  // namespace

std::string default_python() {
  if (const char* env = std::getenv("TINY_PYTHON"); env && *env) return env;
  std::error_code ec;
  return std::filesystem::exists("/usr/bin/python3", ec) ? "/usr/bin/python3" : "python3";
}

std::string compressai_unavailable(const CompressAIRun& run) {
  CommandResult r = run_command(script_command(run) + " --check 2>&1");
  if (r.exit_code == 0) return "";
  std::string why = last_line(r.out);
  return why.empty() ? fmt::format("{} --check exited with status {}", run.script, r.exit_code) : why;
}

std::optional<CompressAIRun> compressai_side_by_side(const std::string& mode, const std::string& python,
                                                     const std::string& script, int repeats, nlohmann::json& status) {
  CompressAIRun run{python, shipped_file(script).string(), thread_count(), repeats};
  status = {{"mode", mode}, {"python", python}};
  std::string why = mode == "off" ? "--compressai off" : compressai_unavailable(run);
  status["measured"] = why.empty();
  if (why.empty()) return run;
  status["skipped"] = why;
  log::info("CompressAI side by side skipped: {}; reference numbers are shown instead", why);
  return std::nullopt;
}

nlohmann::json run_compressai_codec(const codec::ModelFile& model, const image::Image& image, const CompressAIRun& run) {
  ScratchDir dir("tiny-compressai");
  const std::string checkpoint = dir.file("model.pth.tar"), picture = dir.file("image.png");
  convert::write_torch_checkpoint(checkpoint, convert::export_state_dict(model), false);
  image::write_image(picture, image, false);
  return run_script(run,
                    fmt::format("{} --arch {} --quality {} --image {} --threads {} --repeats {}", shell_quote(checkpoint),
                                shell_quote(model.arch), model.quality, shell_quote(picture), run.threads, run.repeats),
                    dir, {"encode_s", "encode_cpu_s", "decode_s", "decode_cpu_s", "bytes", "bpp", "psnr"});
}

nlohmann::json run_compressai_rans(const std::vector<entropy::QuantizedCdf>& cdfs, const std::vector<int32_t>& symbols,
                                   const std::vector<int32_t>& indexes, const CompressAIRun& run) {
  ScratchDir dir("tiny-compressai-rans");
  nlohmann::json tables = {{"cdfs", nlohmann::json::array()}, {"offsets", nlohmann::json::array()}};
  for (const auto& c : cdfs) {
    tables["cdfs"].push_back(c.cdf);
    tables["offsets"].push_back(c.offset);
  }
  write_file_atomic(dir.file("tables.json"), tables.dump(), false);
  write_int32s(dir.file("symbols.i32"), symbols);
  write_int32s(dir.file("indexes.i32"), indexes);
  return run_script(run, fmt::format("{} --repeats {}", shell_quote(dir.path().string()), run.repeats), dir,
                    {"encode_s", "encode_cpu_s", "decode_s", "decode_cpu_s", "bytes"});
}

}  // namespace tiny::bench
