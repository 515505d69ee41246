#pragma once
// Where a decoder reads a `.tic`'s symbols: the streams of one tile after another, decoded with the
// model's tables, the latent checksum kept and checked. Torch-free: the torch models and the
// torch-free decoder (lib/decoder) read bitstreams through the same code.
#include "entropy/container.hpp"
#include "entropy/rans.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tiny::codec {

// Where a decoding model reads its symbols; stream s is coded with the s-th entropy model's tables and
// streams are read in order.
class SymbolSource {
public:
  virtual ~SymbolSource() = default;
  // Decodes indexes.size() symbols of stream s at once.
  virtual std::vector<int32_t> read(int stream, const std::vector<int32_t>& indexes) = 0;
  // Decodes the next symbol of stream s with table `index` (autoregressive models).
  virtual int32_t read_one(int stream, int32_t index) = 0;
};

// Reads a `.tic`'s streams with the model's tables (tables[s] codes stream s of every tile), one
// tile's streams at a time, keeping the latent checksum of every symbol read; in a file of version 2
// and later a coder error means desynchronised entropy parameters and is reported as such.
class CheckedSource : public SymbolSource {
public:
  // `tic` and `tables` must outlive the source.
  CheckedSource(const entropy::TicFile& tic, const std::vector<std::unique_ptr<entropy::RansTables>>& tables);
  ~CheckedSource() override;
  std::vector<int32_t> read(int stream, const std::vector<int32_t>& indexes) override;
  int32_t read_one(int stream, int32_t index) override;
  // Checks that the previous tile's symbol-by-symbol streams ended exactly, then reads tile `tile`'s streams.
  void start_tile(size_t tile);
  // Checks that the streams ended exactly and, in version 2 and later, that the checksum matches.
  void finish();

private:
  // Checks that every symbol-by-symbol stream of the current tile ended exactly.
  void finish_streams() const;
  // Runs f, reporting a coder error of a portable file as desynchronised entropy parameters.
  template <typename F>
  auto checked(F&& f) -> decltype(f());

  const entropy::TicFile& tic_;
  const std::vector<std::unique_ptr<entropy::RansTables>>& tables_;
  std::map<int, std::unique_ptr<entropy::RansStreamDecoder>> streams_;
  size_t first_ = 0;
  bool portable_;
  uint32_t expected_, checksum_ = 0;
};

}  // namespace tiny::codec
