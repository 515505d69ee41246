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
  bool force = false;
};

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
                          "  tiny convert hyper3.tmodel --to safetensors -o hyper3.safetensors --json",
                          [o, &cli] { return run_convert(*o, cli.globals()); });
  sub->add_option("input,--input", o->convert.input, "Model to convert")->required();
  sub->add_option("-o,--output", o->convert.output, "Converted model")->required();
  sub->add_option("--from", o->convert.from, "Input format (default: detected)")
      ->check(CLI::IsMember({"tmodel", "compressai", "safetensors"}));
  sub->add_option("--to", o->to, "Output format")->check(CLI::IsMember({"tmodel", "compressai", "safetensors"}));
  sub->add_option("--arch", o->convert.arch, "Architecture of an imported state_dict (default: inferred)");
  sub->add_option("--quality", o->convert.quality, "Zoo quality of an imported state_dict (default: from N/M)")
      ->check(CLI::Range(1, 8));
  sub->add_flag("--half", o->convert.half, "Store .tmodel weights as float16");
  sub->add_flag("--force", o->force, "Overwrite an existing output");
}

}  // namespace tiny::cli
