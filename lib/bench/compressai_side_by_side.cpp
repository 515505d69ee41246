#include "bench/compressai_side_by_side.hpp"

#include "convert/checkpoint.hpp"
#include "convert/model_convert.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/process.hpp"
#include "core/scratch_dir.hpp"
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

nlohmann::json run_compressai_codec(const codec::ModelFile& model, const image::Image& image, const CompressAIRun& run) {
  ScratchDir dir("tiny-compressai");
  const std::string checkpoint = dir.file("model.pth.tar"), picture = dir.file("image.png"), log = dir.file("stderr");
  convert::write_torch_checkpoint(checkpoint, convert::export_state_dict(model), false);
  image::write_image(picture, image, false);
  CommandResult r = run_command(fmt::format("{} {} --arch {} --quality {} --image {} --threads {} --repeats {} 2>{}",
                                            script_command(run), shell_quote(checkpoint), shell_quote(model.arch),
                                            model.quality, shell_quote(picture), run.threads, run.repeats,
                                            shell_quote(log)));
  if (r.exit_code != 0) {
    std::error_code ec;
    std::string why = std::filesystem::exists(log, ec) ? last_line(read_text_file(log)) : "";
    throw Error(fmt::format("CompressAI ({} {}) failed with status {}: {}", run.python, run.script, r.exit_code,
                            why.empty() ? "no message" : why));
  }
  nlohmann::json result = nlohmann::json::parse(last_line(r.out), nullptr, false);
  for (const char* key : {"encode_s", "encode_cpu_s", "decode_s", "decode_cpu_s", "bytes", "bpp", "psnr"})
    if (!result.is_object() || !result.contains(key) || !result[key].is_number())
      throw Error(fmt::format("CompressAI ({}) printed no number '{}' in its last line: '{}'", run.script, key,
                              last_line(r.out)));
  return result;
}

}  // namespace tiny::bench
