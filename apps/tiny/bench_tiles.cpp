// tiny bench tiles: what coding in tiles costs against one tile, in bytes, PSNR, time and memory.
#include "bench/tiles.hpp"
#include "codec/codec.hpp"
#include "commands.hpp"
#include "core/data_paths.hpp"
#include "core/table.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace tiny::cli {
namespace {

int run_bench_tiles(bench::TilesBenchOptions o, const GlobalOptions& g) {
  o.photos = find_data_set("train", o.photos);
  if (o.models.empty()) o.models = codec::shipped_models("mbt2018-mean");
  const nlohmann::json result = bench::run_tiles_bench(o);
  if (g.json) {
    print_json(result);
    return 0;
  }
  Table table({"images", "model", "mode", "bpp", "PSNR", "seconds", "peak MB"});
  for (const auto& r : result["rows"])
    table.add_row({fmt::format("{} x{}", r["set"].get<std::string>(), int(r["images"])),
                   std::filesystem::path(r["model"].get<std::string>()).stem().string(), r["mode"].get<std::string>(),
                   fmt::format("{:.4f}", double(r["bpp"])), fmt::format("{:.2f}", double(r["psnr"])),
                   fmt::format("{:.2f}", double(r["seconds"])), fmt::format("{:.0f}", double(r["peak_mb"]))});
  std::cout << table.render();
  for (const auto& b : result["bd"])
    std::cout << fmt::format("BD-rate of {}-pixel tiles against one tile, {}: {}\n", int(b["tile_size"]),
                             b["set"].get<std::string>(),
                             b["bd_rate"].is_null() ? "n/a (one model)" : fmt::format("{:+.2f} %", double(b["bd_rate"])));
  return 0;
}

}  // namespace

void register_bench_tiles(Cli& cli) {
  auto o = std::make_shared<bench::TilesBenchOptions>();
  CLI::App* sub = cli.add("tiles", "Bytes, PSNR, time and memory of tiled coding against one tile",
                          "  tiny bench tiles --quick\n"
                          "  tiny bench tiles -m models/mbt2018-mean-q1.tmodel -m models/mbt2018-mean-q3.tmodel --json",
                          [o, &cli] { return run_bench_tiles(*o, cli.globals()); },
                          cli.group("bench", "Measure tiny against its baselines"));
  sub->add_flag("--quick", o->quick, "One 4000x3000 and two 768x512 images");
  sub->add_option("--photos", o->photos, "Folder of JPEG photos to build the test images from (default: the 'train' data set)");
  sub->add_option("-m,--model", o->models, "Models, lowest quality first (default: every shipped mbt2018-mean)");
  sub->add_option("--tile-size", o->tile_size, "Tile edge in pixels, a multiple of 64")->capture_default_str();
}

}  // namespace tiny::cli
