#include "scorer/scorer.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "scorer/preprocess.hpp"

#include <torch/script.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace tiny::scorer {
namespace {

// The first line of an exception's message (libtorch appends backtraces).
std::string first_line(const std::exception& e) {
  std::string what = e.what();
  return what.substr(0, what.find('\n'));
}

class TorchScriptScorer : public dataset::ImageScorer {
public:
  explicit TorchScriptScorer(const ScorerOptions& o) : path_(o.model), pre_(make_preprocess(o)), batch_(size_t(o.batch)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path_, ec)) throw Error(file_error(path_, "no such model file"));
    try {
      module_ = torch::jit::load(path_, torch::kCPU);
    } catch (const std::exception& e) {
      throw Error(file_error(path_, "not a loadable TorchScript model: " + first_line(e)));
    }
    module_.eval();
  }

  size_t batch_size() const override { return batch_; }

  std::vector<dataset::ScoreResult> score(const std::vector<Bytes>& images, const std::vector<std::string>& origins) override {
    std::vector<dataset::ScoreResult> out(images.size());
    if (images.empty()) return out;
    const int64_t n = int64_t(images.size()), side = pre_.size;
    torch::Tensor x = torch::zeros({n, 3, side, side});
    float* data = x.data_ptr<float>();
    parallel_for(0, images.size(), [&](size_t i) {
      try {
        preprocess(images[i], origins[i], pre_, data + i * size_t(3 * side * side));
      } catch (const Error& e) {
        out[i].error = e.what();
      }
    });
    torch::Tensor y = run(x);
    const double* scores = y.data_ptr<double>();
    for (size_t i = 0; i < out.size(); ++i) {
      if (!out[i].error.empty()) continue;
      if (std::isfinite(scores[i])) out[i].score = scores[i];
      else out[i].error = file_error(origins[i], "the model's score is not finite");
    }
    return out;
  }

private:
  // Runs the model on a batch; its output must hold one score per image ([N] or [N, 1]).
  torch::Tensor run(const torch::Tensor& x) {
    torch::NoGradGuard no_grad;
    torch::IValue result;
    try {
      result = module_.forward({x});
    } catch (const std::exception& e) {
      throw Error(file_error(path_, "the model failed on a batch: " + first_line(e)));
    }
    if (!result.isTensor()) throw Error(file_error(path_, "the model returned a " + result.tagKind() + ", not a tensor"));
    torch::Tensor y = result.toTensor();
    const int64_t n = x.size(0);
    if (!((y.dim() == 1 && y.size(0) == n) || (y.dim() == 2 && y.size(0) == n && y.size(1) == 1)))
      throw Error(file_error(path_, fmt::format("the model returned shape {} for a batch of {} images (expected [{}] or [{}, 1])",
                                                c10::str(y.sizes()), n, n, n)));
    return y.reshape({n}).to(torch::kDouble).contiguous();
  }

  std::string path_;
  Preprocess pre_;
  size_t batch_;
  torch::jit::Module module_;
};

}  // namespace

std::unique_ptr<dataset::ImageScorer> load_scorer(const ScorerOptions& options) {
  return std::make_unique<TorchScriptScorer>(options);
}

}  // namespace tiny::scorer
