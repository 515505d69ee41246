#pragma once
// Options and helpers shared by `tiny compress` and `tiny decompress`: choosing the model, naming
// outputs, and the loop over files with its report.
#include "cli.hpp"
#include "codec/codec.hpp"
#include "core/folder_inputs.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tiny::cli {

// How the user picks a model: a file or name (-m), or an architecture and quality.
struct ModelChoice {
  std::string model;
  std::string arch;
  double quality = 0;  // 0: the default; variable-rate models take any real quality in their range
  bool untrained = false;
  bool exact = false;  // reconstruct on the fixed-order kernels (the same pixels on every machine)
};

// Adds -m/--model, --arch, --quality, --untrained and --exact to a command.
void add_model_options(CLI::App* sub, ModelChoice& choice);

// Loads the chosen model once per distinct choice; `arch`/`quality` fill in what the user left out
// (decompress passes the bitstream's own).
class ModelCache {
public:
  const codec::Codec& get(const ModelChoice& choice, const std::string& arch, double quality);
  // The models rate control searches: the variable-rate model chosen, or every shipped level of a
  // fixed-rate architecture (--untrained: every level of the zoo), lowest first. A fixed-rate model
  // file (-m) is a UsageError: it has no other qualities to search.
  std::vector<const codec::Codec*> ladder(const ModelChoice& choice, const std::string& arch);

private:
  std::map<std::string, std::unique_ptr<codec::Codec>> loaded_;
};

// The output path for `input`: -o if given (a folder when there are several inputs, when it ends in
// '/' or when it is an existing folder; a file found in an input folder keeps its path below that
// folder there), stdout for stdin, else the input with its extension replaced by `ext`.
// Throws Error when that default name would be the input itself.
std::string output_path(const InputFile& input, const std::string& output, bool several, const std::string& ext);

// Calls one(input, output) for every input, a folder standing for the files below it that `wanted`
// accepts (`what` names them in errors), outputs named by output_path(…, ext); a file that fails
// is reported on stderr and counted, the others go on. Prints the table (size, bytes, bpp, quality,
// seconds, and PSNR / MS-SSIM if `metrics`) or the JSON array, on stderr when a bitstream or image went to
// stdout. Returns the exit code: batch_exit_code (1 if any file failed, unless --allow-failures).
int for_each_file(const std::vector<std::string>& inputs, const std::function<bool(const std::string&)>& wanted,
                  const std::string& what, const std::string& output, const std::string& ext, bool metrics,
                  const GlobalOptions& g,
                  const std::function<nlohmann::json(const std::string& input, const std::string& output)>& one);

}  // namespace tiny::cli
