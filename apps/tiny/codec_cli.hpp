#pragma once
// The models `tiny compress` (and the plugin's decompress service) load for a choice, once each.
#include "cli.hpp"
#include "codec/codec.hpp"
#include "file_batch.hpp"
#include "model_choice.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tiny::cli {

// Loads the chosen model once per distinct choice; `arch`/`quality` fill in what the user left out
// (decompress passes the bitstream's own).
class ModelCache {
public:
  const codec::Codec& get(const ModelChoice& choice, const std::string& arch, double quality);
  // The models rate control searches: the variable-rate model chosen, or every shipped level of a
  // fixed-rate architecture (--untrained: every level of the zoo), lowest first. A fixed-rate model
  // file (-m) is a UsageError: it has no other qualities to search.
  std::vector<const codec::Codec*> ladder(const ModelChoice& choice, const std::string& arch);

private:
  std::map<std::string, std::unique_ptr<codec::Codec>> loaded_;
};

}  // namespace tiny::cli
