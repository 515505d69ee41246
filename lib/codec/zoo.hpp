#pragma once
// The model zoo without torch: architecture names, CompressAI's N/M per quality, the MSE lambdas.
#include <cstdint>
#include <string>
#include <vector>

namespace tiny::codec {

// One architecture at one quality.
struct ArchConfig {
  std::string arch;
  int quality = 0;
  int N = 0, M = 0;
  double lambda = 0.0;  // CompressAI's MSE lambda of this quality (loss = lambda * 255^2 * MSE + bpp)
  int entropy_layers = 4;  // hidden layers of the entropy bottleneck's density (CompressAI: 4; tiny's first models: 3)
};

// The architectures tiny builds, in CompressAI's names.
const std::vector<std::string>& architectures();
// True if `arch` is one of architectures().
bool known_architecture(const std::string& arch);
// CompressAI's configuration of arch at quality 1..8 (cheng2020: 1..6); throws tiny::UsageError otherwise.
ArchConfig zoo_config(const std::string& arch, int quality);
// The rate levels a variable-rate architecture is trained at, one gain vector each; 0 for the fixed-rate
// architectures. Level l codes at quality l, in CompressAI's quality numbers: mbt2018-mean-vr's levels
// are qualities 1..6 at CompressAI's lambdas and quality 0, two rungs of their lambda ladder below q1
// (ladder_lambda; for rates near 0.1 bpp). Any real quality from 0 to levels - 1 is valid.
int rate_levels(const std::string& arch);
constexpr int kVariableRateLevels = 7;
// The quality a `.tic` header records: its model's level, or for variable-rate models the real quality
// (stored in thousandths).
double bitstream_quality(const std::string& arch, uint32_t stored);
// CompressAI's MSE lambda of quality 1..8.
double zoo_lambda(int quality);
// The lambda of a real quality from 0 to 8 on a ladder of whole-quality lambdas (1..8, e.g. zoo_lambda):
// exponential between rungs; quality 0 is two rungs below 1 (the ratio of the first two rungs, squared:
// 0.00048 on CompressAI's MSE ladder), exponential between 0 and 1 too.
double ladder_lambda(double quality, double (*ladder)(int));
// Highest quality level of an architecture.
int max_quality(const std::string& arch);

}  // namespace tiny::codec
