// tiny bench load: images/s of the fused load pipeline against OpenCV and Pillow baselines.
#include "bench/load_bench.hpp"
#include "commands.hpp"
#include "core/data_paths.hpp"
#include "core/table.hpp"

#include <fmt/format.h>

#include <iostream>

namespace tiny::cli {
namespace {

int run_bench_load(bench::LoadBenchOptions o, const GlobalOptions& g) {
  o.photos = find_data_set("train", o.photos);
  nlohmann::json rows = bench::run_load_bench(o);
  if (g.json) {
    print_json({{"benchmark", "load"}, {"results", rows}});
    return 0;
  }
  Table table({"images", "method", "threads", "images/s", "ratio", "cores used"});
  for (const auto& r : rows) {
    std::string method = r["method"];
    std::string ratio = method == "tiny" ? "" :
                        method == "tiny batch" ? fmt::format("{:.2f}x single", double(r["ratio"])) :
                                                 fmt::format("tiny {:.2f}x", double(r["ratio"]));
    table.add_row({r["set"].get<std::string>(), method, std::to_string(int(r["threads"])),
                   fmt::format("{:.1f}", double(r["images_per_s"])), ratio,
                   r.contains("cores_used") ? fmt::format("{:.2f}", double(r["cores_used"])) : "-"});
  }
  std::cout << table.render();
  return 0;
}

}  // namespace

void register_bench_load(Cli& cli) {
  auto o = std::make_shared<bench::LoadBenchOptions>();
  o->python_script = shipped_file("scripts/bench_load_pil.py").string();
  CLI::App* sub = cli.add("load",
                          "Images/s of the fused load pipeline vs OpenCV and Pillow (224x224 crop, float32)",
                          "  tiny bench load --quick\n"
                          "  tiny bench load --json --photos ../shared/data/train",
                          [o, &cli] { return run_bench_load(*o, cli.globals()); },
                          cli.group("bench", "Measure tiny against its baselines"));
  sub->add_flag("--quick", o->quick, "Few images, a few seconds (for CI)");
  sub->add_option("--photos", o->photos, "Folder of JPEG photos to build the test images from (default: the 'train' data set)");
  sub->add_option("--python-script", o->python_script, "The Pillow baseline script")->capture_default_str();
  sub->add_option("--python", o->python, "Python interpreter with PIL and numpy")->capture_default_str();
}

}  // namespace tiny::cli
