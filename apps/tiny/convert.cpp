// tiny convert IN... -o OUT: models between .tmodel, CompressAI checkpoints and safetensors, and with
// --eval what quantizing or rank-truncating them costs on an image set.
#include "bench/conversion_cost.hpp"
#include "bench/data_download.hpp"
#include "commands.hpp"
#include "convert/convert.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/scratch_dir.hpp"
#include "core/table.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

namespace tiny::cli {
namespace {

namespace fs = std::filesystem;

struct ConvertCliOptions {
  convert::ConvertOptions convert;
  std::vector<std::string> inputs;
  std::string to = "tmodel", eval;
  bool force = false, report = false, quick = false;
};

void print_low_rank(const nlohmann::json& lr) {
  Table table({"layer", "matrix", "rank", "params", "factored", "rel. error"});
  for (const auto& l : lr["layers"])
    table.add_row({l["name"], fmt::format("{}x{}", int64_t(l["rows"]), int64_t(l["cols"])),
                   std::to_string(int64_t(l["rank"])), std::to_string(int64_t(l["params"])),
                   std::to_string(int64_t(l["factored_params"])), fmt::format("{:.4f}", double(l["relative_error"]))});
  std::cout << table.render();
  const bool by_energy = double(lr["energy"]) > 0;
  std::cout << fmt::format("low rank ({} {}): {} -> {} weights of the chosen layers ({} saved)\n",
                           by_energy ? "energy" : "saving", by_energy ? double(lr["energy"]) : double(lr["saving"]),
                           int64_t(lr["params"]), int64_t(lr["factored_params"]), int64_t(lr["params_saved"]));
}

// One output per input: -o itself for a single input, else (several inputs, or -o ending in '/' or
// naming an existing folder) a file named after each input in the -o folder.
std::vector<std::string> output_paths(const ConvertCliOptions& o) {
  const std::string& output = o.convert.output;
  const bool folder = o.inputs.size() > 1 || (!output.empty() && output.back() == '/') || fs::is_directory(output);
  if (!folder) return {output};
  std::error_code ec;
  fs::create_directories(output, ec);
  if (ec || !fs::is_directory(output)) throw Error(file_error(output, "cannot create the output folder"));
  const char* extension = o.convert.to == convert::Format::tmodel ? ".tmodel"
                          : o.convert.to == convert::Format::compressai ? ".pth" : ".safetensors";
  std::vector<std::string> out;
  for (const auto& in : o.inputs) out.push_back((fs::path(o.convert.output) / (fs::path(in).stem().string() + extension)).string());
  return out;
}

// The images of --eval: a named set (kodak, clic, tecnick: found or downloaded as tiny bench does) or a folder.
std::vector<std::string> eval_images(const ConvertCliOptions& o) {
  const bool named = o.eval == "kodak" || o.eval == "clic" || o.eval == "tecnick";
  return bench::list_images(named ? bench::find_or_download_data_set(o.eval, "", false) : o.eval, o.quick);
}

void print_conversions(const std::vector<nlohmann::json>& reports, bool low_rank) {
  Table table({"input", "output", "from", "to", "arch", "quality", "N/M", "tensors", "bytes in", "bytes out"});
  for (const auto& r : reports)
    table.add_row({r["input"], r["output"], r["from"], r["to"], r["arch"], std::to_string(int(r["quality"])),
                   fmt::format("{}/{}", int(r["N"]), int(r["M"])), std::to_string(size_t(r["tensors"])),
                   std::to_string(uint64_t(r["bytes_in"])), std::to_string(uint64_t(r["bytes_out"]))});
  std::cout << table.render();
  for (const auto& r : reports) {
    if (r.contains("quantized")) {
      const nlohmann::json& q = r["quantized"];
      std::cout << fmt::format("{}: {} transform weights converted to {} ({} of them requantized from quantized "
                               "weights), {} already {}\n",
                               std::string(r["output"]), size_t(q["tensors"]), std::string(q["type"]),
                               size_t(q["requantized"]), size_t(q["unchanged"]), std::string(q["type"]));
    }
    if (low_rank && r.contains("low_rank")) print_low_rank(r["low_rank"]);
  }
}

void print_cost(const bench::ConversionCost& cost, const std::vector<nlohmann::json>& reports) {
  uint64_t in = 0, out = 0;
  for (const auto& r : reports) in += uint64_t(r["bytes_in"]), out += uint64_t(r["bytes_out"]);
  std::cout << "\n" << bench::means_table(cost.result).render();
  if (!cost.bd.empty()) std::cout << "\n" << bench::bd_table("original", cost.bd).render();
  std::cout << fmt::format("\nmodel files {} -> {} bytes ({:.2f}x smaller) on {} images", in, out,
                           double(in) / double(std::max<uint64_t>(out, 1)), cost.result.files.size());
  if (cost.bd.empty() || !cost.bd[0].ok) {
    std::cout << " (BD-rate needs two or more qualities that overlap)\n";
  } else {
    std::cout << fmt::format(": BD-rate {:+.2f} % (pchip), {:+.2f} % (cubic)\n", cost.bd[0].rate_pchip, cost.bd[0].rate_poly);
  }
}

int run_convert(ConvertCliOptions& o, const GlobalOptions& g) {
  // A model on stdin ("-") is read into a scratch file first: every reader below takes a path.
  std::optional<ScratchDir> scratch;
  for (std::string& in : o.inputs) {
    if (in != "-") continue;
    if (scratch) throw UsageError("'-' (stdin) may be given only once");
    scratch.emplace("tiny-convert");
    write_file_atomic(scratch->file("stdin"), read_file("-"), false);
    in = scratch->file("stdin");
  }
  o.convert.to = convert::parse_format(o.to);
  o.convert.overwrite = o.force;
  if (!o.eval.empty() && o.convert.to != convert::Format::tmodel)
    throw UsageError("--eval measures .tmodel files: convert --to tmodel");
  if (!o.eval.empty())
    for (const auto& in : o.inputs)
      if (convert::detect_format(in) != convert::Format::tmodel)
        throw UsageError(file_error(in, "--eval compares .tmodel files: convert the checkpoint to .tmodel first"));
  const std::vector<std::string> outputs = output_paths(o);
  std::vector<nlohmann::json> reports;  // the conversions that succeeded
  nlohmann::json results = nlohmann::json::array();  // one entry per input: its report, or its error
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    convert::ConvertOptions one = o.convert;
    one.input = o.inputs[i];
    one.output = outputs[i];
    try {
      reports.push_back(convert::convert_file(one));
      results.push_back(reports.back());
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      std::fprintf(stderr, "tiny: error: %s\n", e.what());
      results.push_back({{"input", o.inputs[i]}, {"error", e.what()}});
    }
  }
  const size_t failed = o.inputs.size() - reports.size();
  std::optional<bench::ConversionCost> cost;
  if (!o.eval.empty() && failed == 0) cost = bench::measure_conversion_cost(o.inputs, outputs, eval_images(o));
  if (!o.eval.empty() && failed > 0) log::warn("--eval skipped: {} of the conversions failed", failed);
  if (g.json) {
    nlohmann::json j = {{"models", results}};
    if (cost) j["eval"] = bench::report_json(cost->result, cost->curves, "original", cost->bd);
    print_json(j);
  } else {
    print_conversions(reports, o.report);
    if (cost) print_cost(*cost, reports);
  }
  if (cost && !cost->result.skipped.empty()) return 1;
  return batch_exit_code(failed, reports.size(), g);
}

}  // namespace

void register_convert(Cli& cli) {
  auto o = std::make_shared<ConvertCliOptions>();
  CLI::App* sub = cli.add("convert", "Convert models between .tmodel, CompressAI checkpoints and safetensors",
                          "  tiny convert bmshj2018-hyperprior-3.pth.tar -o hyper3.tmodel\n"
                          "  tiny convert ddp_checkpoint.pth --arch mbt2018-mean --quality 4 -o mean4.tmodel\n"
                          "  tiny convert hyper3.tmodel --to compressai -o hyper3.pth\n"
                          "  tiny convert hyper3.tmodel --to safetensors -o hyper3.safetensors --json\n"
                          "  tiny convert hyper3.tmodel --low-rank-energy 0.99 --report -o hyper3-lr.tmodel\n"
                          "  tiny convert mean3.tmodel --low-rank-saving 0.5 --low-rank-layers g_s. -o mean3-gs50.tmodel\n"
                          "  tiny convert mean3.tmodel --quantize int8 -o mean3-int8.tmodel\n"
                          "  tiny convert models/mbt2018-mean-q*.tmodel --quantize q4 -o q4/ --eval kodak",
                          [o, &cli] { return run_convert(*o, cli.globals()); });
  sub->add_option("input,--input", o->inputs, "Models to convert (several: -o is a folder; '-': stdin)")->required();
  sub->add_option("-o,--output", o->convert.output, "Converted model, or the folder for several")->required();
  sub->add_option("--from", o->convert.from, "Input format (default: detected)")
      ->check(CLI::IsMember({"tmodel", "compressai", "safetensors"}));
  sub->add_option("--to", o->to, "Output format")->check(CLI::IsMember({"tmodel", "compressai", "safetensors"}));
  sub->add_option("--arch", o->convert.arch, "Architecture of an imported state_dict (default: inferred)");
  sub->add_option("--quality", o->convert.quality, "Zoo quality of an imported state_dict (default: from N/M)")
      ->check(CLI::Range(1, 8));
  sub->add_option("--at-quality", o->convert.at_quality,
                  "Variable-rate input: the model at this quality (e.g. 2.7) as an ordinary mbt2018-mean, gains "
                  "folded into its transforms (for CompressAI and other decoders)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--low-rank-energy", o->convert.low_rank_energy,
                  "Factor transform weights (randomized SVD) at the rank keeping this fraction of their energy")
      ->check(in_range(0, 1));
  sub->add_option("--low-rank-saving", o->convert.low_rank_saving,
                  "Factor transform weights at the rank that saves this fraction of each one's parameters")
      ->check(in_range(0, 0.99));
  sub->add_option("--low-rank-layers", o->convert.low_rank_layers,
                  "Layers to factor, as name prefixes (default: g_a.,g_s.,h_a.,h_s.,entropy_parameters.)")
      ->delimiter(',');
  sub->add_option("--quantize", o->convert.quantize,
                  "Store the transforms' weights as int8 (per channel) or q4 (blocks of 32, 4.5 bits) in the .tmodel")
      ->check(CLI::IsMember({"none", "int8", "q4"}));
  sub->add_option("--eval", o->eval, "Measure the converted models against the originals on kodak, clic, tecnick or a "
                                     "folder of images: sizes, RD points and BD-rate (one model per quality)");
  sub->add_flag("--quick", o->quick, "With --eval: the first 3 images only");
  sub->add_flag("--report", o->report, "Print the per-layer low-rank table");
  sub->add_flag("--half", o->convert.half, "Store .tmodel weights as float16");
  sub->add_flag("--float32", o->convert.float32, "Store .tmodel weights as float32");
  add_force_flag(sub, o->force, "Overwrite an existing output");
  add_allow_failures_flag(sub, cli.globals());
}

}  // namespace tiny::cli
