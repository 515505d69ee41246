#include "codec/symbol_source.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace tiny::codec {
namespace {

// What a decoder of version 2 and later says when the symbols it reads do not fit the bitstream: the file passed its
// CRC, so the decoder's entropy parameters differ from the encoder's.
std::string desync_message(const std::string& detail) {
  return fmt::format("entropy parameters differ from the encoder's (the file is intact, but the decoder computed "
                     "other means or scales than the encoder did: {})",
                     detail);
}

}  // namespace

CheckedSource::CheckedSource(const entropy::TicFile& tic, const std::vector<std::unique_ptr<entropy::RansTables>>& tables)
    : tic_(tic), tables_(tables), portable_(tic.version >= 2), expected_(tic.latent_checksum) {}

CheckedSource::~CheckedSource() = default;

template <typename F>
auto CheckedSource::checked(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    if (!portable_) throw;
    throw Error(desync_message(e.what()));
  }
}

std::vector<int32_t> CheckedSource::read(int s, const std::vector<int32_t>& indexes) {
  std::vector<int32_t> v =
      checked([&] { return entropy::rans_decode(tic_.substreams[first_ + size_t(s)], indexes, *tables_[size_t(s)]); });
  checksum_ = entropy::latent_checksum(v.data(), v.size(), checksum_);
  return v;
}

int32_t CheckedSource::read_one(int s, int32_t index) {
  const int32_t v = checked([&] {
    auto it = streams_.find(s);
    if (it == streams_.end()) {
      const Bytes& b = tic_.substreams[first_ + size_t(s)];
      it = streams_.emplace(s, std::make_unique<entropy::RansStreamDecoder>(b.data(), b.size(), *tables_[size_t(s)])).first;
    }
    return it->second->next(index);
  });
  checksum_ = entropy::latent_checksum(&v, 1, checksum_);
  return v;
}

void CheckedSource::finish_streams() const {
  for (const auto& s : streams_) s.second->finish();
}

void CheckedSource::start_tile(size_t tile) {
  checked([&] {
    finish_streams();
    return 0;
  });
  streams_.clear();
  first_ = tile * tables_.size();
}

void CheckedSource::finish() {
  checked([&] {
    finish_streams();
    return 0;
  });
  if (portable_ && checksum_ != expected_)
    throw Error(desync_message(fmt::format("latent checksum {:08x}, the file says {:08x}", checksum_, expected_)));
}

}  // namespace tiny::codec
