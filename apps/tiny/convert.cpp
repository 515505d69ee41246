// tiny convert IN -o OUT: a model between .tmodel, CompressAI checkpoints and safetensors.
#include "commands.hpp"
#include "convert/convert.hpp"
#include "core/table.hpp"

#include <fmt/format.h>

#include <iostream>

namespace tiny::cli {
namespace {

struct ConvertCliOptions {
  convert::ConvertOptions convert;
  std::string to = "tmodel";
  bool force = false, report = false;
};

void print_low_rank(const nlohmann::json& lr) {
  Table table({"layer", "matrix", "rank", "params", "factored", "rel. error"});
  for (const auto& l : lr["layers"])
    table.add_row({l["name"], fmt::format("{}x{}", int64_t(l["rows"]), int64_t(l["cols"])),
                   std::to_string(int64_t(l["rank"])), std::to_string(int64_t(l["params"])),
                   std::to_string(int64_t(l["factored_params"])), fmt::format("{:.4f}", double(l["relative_error"]))});
  std::cout << table.render();
  std::cout << fmt::format("low rank (energy {}): {} -> {} transform weights ({} saved)\n", double(lr["energy"]),
                           int64_t(lr["params"]), int64_t(lr["factored_params"]), int64_t(lr["params_saved"]));
}

int run_convert(ConvertCliOptions& o, const GlobalOptions& g) {
  o.convert.to = convert::parse_format(o.to);
  o.convert.overwrite = o.force;
  nlohmann::json r = convert::convert_file(o.convert);
  if (g.json) {
    print_json(r);
  } else if (!g.quiet) {
    Table table({"input", "output", "from", "to", "arch", "quality", "N/M", "tensors", "bytes in", "bytes out"});
    table.add_row({r["input"], r["output"], r["from"], r["to"], r["arch"], std::to_string(int(r["quality"])),
                   fmt::format("{}/{}", int(r["N"]), int(r["M"])), std::to_string(size_t(r["tensors"])),
                   std::to_string(uint64_t(r["bytes_in"])), std::to_string(uint64_t(r["bytes_out"]))});
    std::cout << table.render();
    if (r.contains("quantized"))
      std::cout << fmt::format("{} transform weights stored as {}\n", size_t(r["quantized"]["tensors"]),
                               std::string(r["quantized"]["type"]));
    if (o.report && r.contains("low_rank")) print_low_rank(r["low_rank"]);
  }
  return 0;
}

}  // namespace

void register_convert(Cli& cli) {
  auto o = std::make_shared<ConvertCliOptions>();
  CLI::App* sub = cli.add("convert", "Convert a model between .tmodel, CompressAI checkpoints and safetensors",
                          "  tiny convert bmshj2018-hyperprior-3.pth.tar -o hyper3.tmodel\n"
                          "  tiny convert ddp_checkpoint.pth --arch mbt2018-mean --quality 4 -o mean4.tmodel\n"
                          "  tiny convert hyper3.tmodel --to compressai -o hyper3.pth\n"
                          "  tiny convert hyper3.tmodel --to safetensors -o hyper3.safetensors --json\n"
                          "  tiny convert hyper3.tmodel --low-rank-energy 0.99 --report -o hyper3-lr.tmodel\n"
                          "  tiny convert mean3.tmodel --quantize int8 -o mean3-int8.tmodel",
                          [o, &cli] { return run_convert(*o, cli.globals()); });
  sub->add_option("input,--input", o->convert.input, "Model to convert")->required();
  sub->add_option("-o,--output", o->convert.output, "Converted model")->required();
  sub->add_option("--from", o->convert.from, "Input format (default: detected)")
      ->check(CLI::IsMember({"tmodel", "compressai", "safetensors"}));
  sub->add_option("--to", o->to, "Output format")->check(CLI::IsMember({"tmodel", "compressai", "safetensors"}));
  sub->add_option("--arch", o->convert.arch, "Architecture of an imported state_dict (default: inferred)");
  sub->add_option("--quality", o->convert.quality, "Zoo quality of an imported state_dict (default: from N/M)")
      ->check(CLI::Range(1, 8));
  sub->add_option("--low-rank-energy", o->convert.low_rank_energy,
                  "Rank-truncate transform weights (randomized SVD) keeping this fraction of their energy")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--quantize", o->convert.quantize,
                  "Store the transforms' weights as int8 (per channel) or q4 (blocks of 32, 4.5 bits) in the .tmodel")
      ->check(CLI::IsMember({"none", "int8", "q4"}));
  sub->add_flag("--report", o->report, "Print the per-layer low-rank table");
  sub->add_flag("--half", o->convert.half, "Store .tmodel weights as float16");
  sub->add_flag("--force", o->force, "Overwrite an existing output");
}

}  // namespace tiny::cli
