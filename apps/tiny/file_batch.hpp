#pragma once
// The loop of `tiny compress` and `tiny decompress` over their input files: naming outputs, reporting
// each file and the batch's exit code. Torch-free (part of the binary).
#include "cli.hpp"
#include "core/folder_inputs.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace tiny::cli {

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
