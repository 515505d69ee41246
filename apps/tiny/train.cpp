// tiny train --config FILE: trains a learned codec of the zoo and exports it as a .tmodel.
#include "commands.hpp"
#include "core/error.hpp"
#include "core/json_file.hpp"
#include "core/json_output.hpp"
#include "core/log.hpp"
#include "core/threads.hpp"
#include "nn/threads.hpp"
#include "train/curves.hpp"
#include "train/trainer.hpp"

#include <iostream>

namespace tiny::cli {
namespace {

struct TrainCliOptions {
  std::string config;
  bool resume = false;
  std::string checkpoint, compact_checkpoint, plot;
  int64_t max_steps = 0;
  bool overwrite = false, print_config = false, trust_v1_checkpoint = false;
  std::vector<std::string> settings;  // --set KEY=VALUE
};

// The configuration file with every --set applied, validated.
train::TrainConfig effective_config(const TrainCliOptions& o) {
  Json json = read_json_file(o.config);
  if (json.is_object())
    for (const auto& s : o.settings) train::apply_setting(json, s);
  return train::parse_config(json, o.config);
}

// tiny train --plot RUN_DIR: the run's loss, bpp, PSNR and learning-rate curves as SVG and PNG.
int plot_run(const TrainCliOptions& o, const GlobalOptions& g) {
  std::vector<std::string> files = train::write_training_plots(o.plot, o.overwrite);
  if (g.json) print_json({{"plots", files}});
  else
    for (const auto& f : files) std::cout << f << "\n";
  return 0;
}

int run_train(const TrainCliOptions& o, const GlobalOptions& g) {
  if (!o.plot.empty()) return plot_run(o, g);
  if (o.config.empty()) throw UsageError("--config is required (or --plot RUN_DIR to plot a run)");
  train::TrainConfig config = effective_config(o);
  if (o.print_config) {
    std::cout << dump_json(train::config_json(config), 2) << std::endl;
    return 0;
  }
  set_thread_count(g.threads);
  nn::set_torch_threads(g.threads);
  train::TrainOptions options;
  options.resume = o.resume || !o.checkpoint.empty();
  options.resume_from = o.checkpoint;
  options.max_steps = o.max_steps;
  options.compact_checkpoint = o.compact_checkpoint;
  options.trust_v1_checkpoint = o.trust_v1_checkpoint;
  train::TrainResult r = train::train(config, options);
  nlohmann::json summary = {{"steps", r.step},
                            {"finished", r.finished},
                            {"interrupted", r.interrupted},
                            {"seconds", r.seconds},
                            {"data_wait_seconds", r.data_wait_seconds},
                            {"skipped_images", r.skipped_images},
                            {"checkpoint", train::last_checkpoint_path(config)},
                            {"model", r.model_path},
                            {"rank", r.rank},
                            {"world_size", r.world_size},
                            {"weights_hash", r.weights_hash}};
  if (g.json) {
    print_json(summary);
  } else {
    log::info("{} steps in {:.1f} s (waited {:.2f} s for data), checkpoint {}", r.step, r.seconds,
              r.data_wait_seconds, train::last_checkpoint_path(config));
    if (r.finished) log::info("model written to {}", r.model_path);
  }
  if (r.interrupted) {
    log::warn("interrupted at step {}; continue with --resume", r.step);
    return 130;
  }
  return 0;
}

}  // namespace

void register_train(Cli& cli) {
  auto o = std::make_shared<TrainCliOptions>();
  CLI::App* sub = cli.add("train", "Train a learned codec from a JSON configuration and export it as a .tmodel",
                          "  tiny train --config configs/train/mbt2018-mean-q3.json --threads 2\n"
                          "  tiny train --config configs/train/mbt2018-mean-q3.json --resume\n"
                          "  tiny train --config run.json --checkpoint runs/q3/best.ckpt --max-steps 100\n"
                          "  tiny train --config run.json --set loss.lambda=0.013 --set data.batch_size=16\n"
                          "  tiny train --config run.json --set steps=500 --print-config > run500.json\n"
                          "  tiny train --plot runs/mbt2018-mean-q3",
                          [o, &cli] { return run_train(*o, cli.globals()); });
  sub->add_option("--config", o->config, "Training configuration (JSON; see docs/commands/train.md)")
      ->check(CLI::ExistingFile);
  sub->add_option("--set", o->settings,
                  "Override one key of the training configuration, KEY=VALUE (e.g. loss.lambda=0.013; repeatable; "
                  "the value is typed by the key)")
      ->allow_extra_args(false);
  sub->add_flag("--print-config", o->print_config,
                "Print the effective training configuration (file, --set, defaults) as JSON and exit");
  sub->add_option("--plot", o->plot, "Plot a run instead: RUN_DIR/metrics.jsonl to RUN_DIR/plots/{loss,bpp,psnr,lr}.{svg,png}");
  add_force_flag(sub, o->overwrite, "With --plot: replace existing plots");
  sub->add_flag("--resume", o->resume, "Continue from <checkpoint_dir>/last.ckpt");
  sub->add_option("--checkpoint", o->checkpoint, "Continue from this checkpoint instead (implies --resume)");
  sub->add_option("--save-compact", o->compact_checkpoint,
                  "When the run stops, also write a compact resume point here (float16 weights, no optimiser "
                  "moments: small enough to commit; --checkpoint continues from it)");
  sub->add_flag("--trust-v1-checkpoint", o->trust_v1_checkpoint,
                "Resume a version 1 checkpoint (read by libtorch, unsafe on files you did not make); the run "
                "re-saves it as version 2");
  sub->add_option("--max-steps", o->max_steps, "Stop after this many steps of this run (with a checkpoint)")
      ->check(CLI::NonNegativeNumber);
}

}  // namespace tiny::cli
