#include "train/trainer.hpp"

#include "codec/codec.hpp"
#include "codec/model_file.hpp"
#include "codec/model_io.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "core/stopwatch.hpp"
#include "train/checkpoint.hpp"
#include "train/data.hpp"
#include "train/distributed.hpp"
#include "train/fake_quant.hpp"
#include "train/loss.hpp"
#include "train/schedule.hpp"
#include "train/subpixel.hpp"

#include <ATen/autocast_mode.h>
#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>

namespace tiny::train {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_stop_requested{false};

extern "C" void request_stop(int) { g_stop_requested = true; }

// Installs SIGINT/SIGTERM handlers that ask the loop to stop; restores the old ones on destruction.
class StopSignals {
public:
  StopSignals() {
    g_stop_requested = false;
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

private:
  struct sigaction old_int_ {}, old_term_ {};
};

torch::Device parse_device(const std::string& name) {
  torch::Device device(torch::kCPU);
  try {
    device = torch::Device(name);
  } catch (const std::exception&) {
    throw UsageError(fmt::format("unknown device \"{}\" (cpu, cuda, cuda:N)", name));
  }
  if (device.is_cuda()) {
    if (!torch::cuda::is_available())
      throw Error(fmt::format("device \"{}\": this libtorch has no CUDA support or no GPU is visible", name));
    if (device.has_index() && device.index() >= int(torch::cuda::device_count()))
      throw Error(fmt::format("device \"{}\": only {} CUDA devices", name, torch::cuda::device_count()));
  }
  return device;
}

codec::ArchConfig arch_config(const TrainConfig& c) {
  codec::ArchConfig a = codec::zoo_config(c.model.arch, c.model.quality);
  if (c.model.N > 0) a.N = c.model.N;
  if (c.model.M > 0) a.M = c.model.M;
  a.lambda = effective_lambda(c);
  return a;
}

struct Evaluation {
  double loss = 0, mse = 0, bpp = 0;
};

// The validation loss at `lambda`; for variable-rate models at rate level `level` (0-based).
Evaluation evaluate(codec::CompressionModel& model, const torch::Tensor& val, int batch, double lambda,
                    const std::string& metric, const torch::Device& device, int64_t level = -1) {
  Evaluation e;
  const int64_t n = val.size(0);
  if (n == 0) return e;
  torch::NoGradGuard no_grad;
  model.eval();
  for (int64_t i = 0; i < n; i += batch) {
    torch::Tensor x = val.slice(0, i, std::min(n, i + batch)).to(device);
    if (level >= 0) model.set_forward_levels(torch::full({x.size(0)}, level, torch::kLong));
    RdLoss l = rd_loss(model.forward(x), x, lambda, metric);
    const double w = double(x.size(0)) / double(n);
    e.loss += w * l.loss.item<double>();
    e.mse += w * l.mse.item<double>();
    e.bpp += w * l.bpp.item<double>();
  }
  model.train();
  return e;
}

// bfloat16 autocast on the CPU for the scope (torch.autocast("cpu") in C++); a no-op when off.
class CpuAutocast {
public:
  explicit CpuAutocast(bool on) : on_(on), was_(at::autocast::is_cpu_enabled()) {
    if (!on_) return;
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::increment_nesting();
  }
  ~CpuAutocast() {
    if (!on_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(was_);
  }

private:
  bool on_, was_;
};

// The gradients of `params` that exist.
std::vector<torch::Tensor> grads(const std::vector<torch::Tensor>& params) {
  std::vector<torch::Tensor> g;
  for (const auto& p : params)
    if (p.grad().defined()) g.push_back(p.grad());
  return g;
}

std::string weights_hash(codec::CompressionModel& model) {
  uint64_t h = 0;
  for (const auto& p : model.parameters()) {
    torch::Tensor c = p.detach().cpu().contiguous();
    h ^= codec::fnv1a64(static_cast<const uint8_t*>(c.data_ptr()), size_t(c.nbytes())) + 0x9e3779b97f4a7c15ULL + (h << 6);
  }
  return codec::hash_hex(h);
}

void set_lr(torch::optim::Adam& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

// Starts the model from the matching tensors of a .tmodel (model.init): fine-tuning to another λ, or
// reusing transforms across architectures of the same N/M.
void initialise_from(codec::CompressionModel& model, const std::string& spec, bool lead) {
  const std::string path = codec::find_model(spec);
  const codec::ModelFile file = codec::read_model_file(path);
  const size_t copied = codec::load_matching_tensors(model, file.tensors);
  if (copied == 0)
    throw Error(file_error(path, fmt::format("model.init: no parameter matches the {} model being trained (name and shape)",
                                             model.config.arch)));
  if (lead)
    log::info("model.init: {} of {} parameters start from {} ({} q{})", copied, model.named_parameters(true).size(),
              path, file.arch, file.quality);
}

}  // namespace

std::string last_checkpoint_path(const TrainConfig& c) { return (fs::path(c.checkpoint_dir) / "last.ckpt").string(); }
std::string best_checkpoint_path(const TrainConfig& c) { return (fs::path(c.checkpoint_dir) / "best.ckpt").string(); }
std::string metrics_log_path(const TrainConfig& c) { return (fs::path(c.checkpoint_dir) / "metrics.jsonl").string(); }
std::string exported_model_path(const TrainConfig& c) {
  const std::string name = codec::rate_levels(c.model.arch) > 0 ? c.model.arch
                                                                 : fmt::format("{}-q{}", c.model.arch, c.model.quality);
  return (fs::path(c.checkpoint_dir) / (name + ".tmodel")).string();
}

TrainResult train(const TrainConfig& config, const TrainOptions& options) {
  const Stopwatch started;
  const torch::Device device = parse_device(config.device);
  const std::string last_path = last_checkpoint_path(config);
  const std::string resume_path = options.resume_from.empty() ? last_path : options.resume_from;
  if (options.resume && !fs::exists(resume_path))
    throw Error(file_error(resume_path, "no checkpoint to resume from"));
  if (!options.resume && fs::exists(last_path))
    throw Error(file_error(last_path, "a checkpoint exists already: pass --resume to continue it, or choose "
                                      "another checkpoint_dir"));

  const DistributedEnv env = distributed_env();
  const bool lead = env.rank == 0;
  std::unique_ptr<ProcessGroup> group;
  if (env.world_size > 1) {
    if (!device.is_cpu()) throw UsageError("distributed training runs on the CPU (Gloo) only");
    if (config.data.batch_size % env.world_size != 0)
      throw UsageError(file_error(config.origin, fmt::format("data.batch_size {} must be a multiple of WORLD_SIZE {}",
                                                             config.data.batch_size, env.world_size)));
    group = std::make_unique<ProcessGroup>(env);
    if (!lead) Progress::set_enabled(false);
  }

  torch::manual_seed(config.seed + uint64_t(env.rank));
  const codec::ArchConfig arch = arch_config(config);
  if (lead && config.loss.lambda > 0) {
    TrainConfig zoo = config;
    zoo.loss.lambda = 0;
    const double expected = effective_lambda(zoo);
    if (std::fabs(config.loss.lambda - expected) > 1e-3 * expected)
      log::warn("loss.lambda {} is not the {} lambda of quality {} ({}); the model is recorded as quality {} with "
                "lambda {}", config.loss.lambda, config.loss.type, config.model.quality, expected, config.model.quality,
                config.loss.lambda);
  }
  std::shared_ptr<codec::CompressionModel> model = codec::make_model(arch);
  if (!config.model.init.empty() && !options.resume) initialise_from(*model, config.model.init, lead);
  use_subpixel_synthesis(*model);
  model->to(device);
  model->train();
  const OptimizerParameters params = optimizer_parameters(*model);
  const std::vector<torch::Tensor>& net_params = params.net;
  const std::vector<torch::Tensor>& aux_params = params.aux;
  const codec::Quantization quantization = codec::parse_quantization(config.model.quantize);
  FakeQuantizer fake_quant(*model, quantization);
  if (lead && fake_quant.count() > 0)
    log::info("quantization-aware training: {} weight tensors run as {}", fake_quant.count(), config.model.quantize);
  torch::optim::Adam optimizer(net_params, torch::optim::AdamOptions(config.optimizer.lr));
  torch::optim::Adam aux_optimizer(aux_params, torch::optim::AdamOptions(config.optimizer.aux_lr));
  LrSchedule schedule(config.schedule, config.optimizer.lr, config.steps);

  CheckpointHeader header;
  header.arch = arch.arch;
  header.N = arch.N;
  header.M = arch.M;
  header.quality = arch.quality;
  header.config = config.json;
  if (options.resume) {
    header = load_checkpoint(resume_path, *model, optimizer, aux_optimizer, device,
                             options.trust_v1_checkpoint ? Version1Checkpoints::trust : Version1Checkpoints::refuse);
    if (header.compact) log::info("{} is a compact resume point: the optimisers' moments start afresh", resume_path);
    header.compact = false;
    header.config = config.json;
    try {
      schedule.load_state(header.schedule);
    } catch (const Error& e) {
      throw Error(file_error(resume_path, e.what()));
    }
    log::info("resumed {} at step {}", resume_path, header.step);
  }
  if (options.resume && env.rank > 0) torch::manual_seed(config.seed * 1000003ULL + uint64_t(env.rank + header.step));
  if (group) {
    std::vector<torch::Tensor> state;
    for (const auto& p : model->parameters()) state.push_back(p.detach());
    for (const auto& b : model->buffers())
      if (b.numel() > 0) state.push_back(b);
    group->broadcast(state);
  }

  DataSplit split = split_data(config.data, config.seed);
  size_t val_skipped = 0;
  torch::Tensor val = load_validation(split.val, config.data.val_patch_size, val_skipped);
  if (lead)
    log::info("data: {} training images, {} validation images{}", split.train.size(), val.size(0),
              env.world_size > 1 ? fmt::format(", {} ranks", env.world_size) : "");
  std::ofstream metrics;
  if (lead) {
    fs::create_directories(config.checkpoint_dir);
    metrics.open(metrics_log_path(config), std::ios::app);
  }
  if (lead && !metrics) throw Error(file_error(metrics_log_path(config), "cannot open for appending: " + errno_text()));

  const double lambda = arch.lambda;
  // Variable-rate models: each image of a batch trains at a rate level drawn uniformly, with its lambda.
  const int64_t levels = codec::rate_levels(arch.arch);
  torch::Tensor level_lambdas = torch::empty({levels}, torch::kDouble);
  for (int64_t l = 0; l < levels; ++l)
    level_lambdas[l] = codec::ladder_lambda(double(l), config.loss.type == "ms-ssim" ? ms_ssim_lambda : codec::zoo_lambda);
  model->mixed_rounding = config.model.rounding == "mixed";
  TrainResult result;
  result.step = header.step;
  result.rank = env.rank;
  result.world_size = env.world_size;
  const int64_t end = options.max_steps > 0 ? std::min(config.steps, header.step + options.max_steps) : config.steps;
  auto save = [&](bool best) {
    if (!lead) return;
    header.step = result.step;
    header.schedule = schedule.state();
    std::string bytes = serialize_checkpoint(header, *model, optimizer, aux_optimizer);
    write_file_atomic(last_path, bytes, true);
    if (best) write_file_atomic(best_checkpoint_path(config), bytes, true);
    if (!options.compact_checkpoint.empty() && (result.step == end || g_stop_requested))
      write_file_atomic(options.compact_checkpoint, serialize_checkpoint(header, *model, optimizer, aux_optimizer, true),
                        true);
  };

  StopSignals signals;
  PatchLoader loader(split.train, config.data, config.seed, header.step, env.rank, env.world_size);
  Progress progress("train", uint64_t(std::max<int64_t>(0, end - header.step)), "steps");
  while (result.step < end) {
    const Stopwatch step_start;
    const double lr = schedule.lr(result.step);
    set_lr(optimizer, lr);
    torch::Tensor x = loader.next().to(device);
    optimizer.zero_grad();
    aux_optimizer.zero_grad();
    std::optional<QuantizedScope> quantized_step(std::in_place, fake_quant);  // no-op without model.quantize
    RdLoss l;
    {
      CpuAutocast autocast(config.bf16 && device.is_cpu());
      if (levels > 0) {
        torch::Tensor drawn = torch::randint(levels, {x.size(0)}, torch::kLong);
        model->set_forward_levels(drawn.to(device));
        l = rd_loss(model->forward(x), x, level_lambdas.index_select(0, drawn).to(device, torch::kFloat32),
                    config.loss.type);
      } else {
        l = rd_loss(model->forward(x), x, lambda, config.loss.type);
      }
    }
    torch::Tensor stats = torch::stack({l.loss.detach(), l.mse.detach(), l.bpp.detach()}).to(torch::kCPU, torch::kDouble);
    stats = torch::cat({stats, torch::full({1}, g_stop_requested ? 1.0 : 0.0, torch::kDouble)});
    if (group) {
      std::vector<torch::Tensor> shared{stats};
      group->average(shared);
    }
    const double loss = stats[0].item<double>(), mse = stats[1].item<double>(), bpp = stats[2].item<double>();
    const bool stop = stats[3].item<double>() > 0;
    if (!std::isfinite(loss))
      throw Error(fmt::format("step {}: the loss is {}; training stopped (last good checkpoint: {})", result.step + 1,
                              loss, fs::exists(last_path) ? last_path : "none written yet"));
    l.loss.backward();
    quantized_step.reset();  // the float weights take the step
    if (group) {
      std::vector<torch::Tensor> g = grads(net_params);
      group->average(g);
    }
    if (config.optimizer.clip > 0) torch::nn::utils::clip_grad_norm_(net_params, config.optimizer.clip);
    optimizer.step();
    torch::Tensor aux = model->aux_loss();
    aux.backward();
    if (group) {
      std::vector<torch::Tensor> g = grads(aux_params);
      group->average(g);
    }
    aux_optimizer.step();
    ++result.step;

    const double step_seconds = step_start.seconds();
    if (lead && (result.step % config.log_interval == 0 || result.step == end)) {
      Json line{{"step", result.step}, {"loss", loss}, {"mse", mse}, {"bpp", bpp}, {"psnr", psnr_from_mse(mse)},
                {"aux", aux.item<double>()}, {"lr", lr}, {"step_seconds", step_seconds},
                {"data_wait_seconds", loader.wait_seconds()}};
      if (l.ms_ssim.defined()) line["ms_ssim"] = l.ms_ssim.item<double>();
      metrics << line.dump() << "\n" << std::flush;
    }
    progress.set_status(fmt::format("loss {:.4g} bpp {:.3f} psnr {:.2f} lr {:.2g}", loss, bpp, psnr_from_mse(mse), lr));
    progress.advance();

    bool best = false;
    const bool final_step = result.step == config.steps;
    if (val.size(0) > 0 && ((config.eval_interval > 0 && result.step % config.eval_interval == 0) || final_step)) {
      // Variable-rate models are validated at every level; their loss is the mean over the levels.
      std::vector<Evaluation> per_level;
      {
        QuantizedScope quantized(fake_quant);
        if (levels == 0) per_level.push_back(evaluate(*model, val, config.data.batch_size, lambda, config.loss.type, device));
        for (int64_t lv = 0; lv < levels; ++lv)
          per_level.push_back(evaluate(*model, val, config.data.batch_size, level_lambdas[lv].item<double>(),
                                       config.loss.type, device, lv));
      }
      Evaluation e;
      for (const Evaluation& p : per_level) {
        e.loss += p.loss / double(per_level.size());
        e.mse += p.mse / double(per_level.size());
        e.bpp += p.bpp / double(per_level.size());
      }
      if (lead && levels > 0)
        for (int64_t lv = 0; lv < levels; ++lv) {
          const Evaluation& p = per_level[size_t(lv)];
          metrics << Json{{"step", result.step}, {"eval", true}, {"level", lv}, {"loss", p.loss}, {"mse", p.mse},
                          {"bpp", p.bpp}, {"psnr", psnr_from_mse(p.mse)}}
                         .dump()
                  << "\n";
        }
      schedule.observe(e.loss);
      best = !header.has_best || e.loss < header.best;
      if (best) {
        header.best = e.loss;
        header.has_best = true;
      }
      if (lead)
        metrics << Json{{"step", result.step}, {"eval", true}, {"loss", e.loss}, {"mse", e.mse}, {"bpp", e.bpp},
                      {"psnr", psnr_from_mse(e.mse)}, {"best", best}}
                     .dump()
              << "\n"
              << std::flush;
    }
    const bool due = config.checkpoint_interval > 0 && result.step % config.checkpoint_interval == 0;
    if (stop || due || best || result.step == end) save(best);
    if (stop) {
      result.interrupted = true;
      break;
    }
  }
  progress.finish();
  result.data_wait_seconds = loader.wait_seconds();
  result.skipped_images = loader.skipped() + val_skipped;
  result.seconds = started.seconds();
  if (result.skipped_images > 0) log::warn("{} unreadable images were skipped", result.skipped_images);

  result.weights_hash = weights_hash(*model);
  result.finished = result.step == config.steps && !result.interrupted;
  if (lead && result.finished) {
    model->to(torch::kCPU);
    model->eval();
    model->update();
    codec::ModelFile file;
    file.arch = arch.arch;
    file.quality = arch.quality;
    file.N = arch.N;
    file.M = arch.M;
    file.metric = config.loss.type;
    file.lambda = lambda;
    file.provenance = {{"trainer", "tiny train"}, {"steps", result.step}, {"seed", config.seed},
                       {"data", config.data.train}, {"config", config.json}};
    if (levels > 0) {
      file.quality = int(levels);
      std::vector<double> lambdas(static_cast<size_t>(levels));
      for (int64_t l = 0; l < levels; ++l) lambdas[size_t(l)] = level_lambdas[l].item<double>();
      file.provenance["rate_level_lambdas"] = lambdas;
    }
    file.tensors = codec::model_tensors(*model, config.half);
    if (codec::quantize_model(file, quantization).converted > 0) file.provenance["quantized"] = config.model.quantize;
    result.model_path = exported_model_path(config);
    codec::write_model_file(result.model_path, file, true);
  }
  return result;
}

}  // namespace tiny::train
