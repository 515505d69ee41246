#pragma once
// The JSON header of a training checkpoint, shared by both checkpoint formats.
#include "codec/model.hpp"
#include "core/json_file.hpp"
#include "train/checkpoint.hpp"

#include <string>

namespace tiny::train {

// The header as JSON, tagged with the format name `format`.
Json checkpoint_header_json(const CheckpointHeader& header, const std::string& format);
// Parses a header of format `format` for the model configured as `want`; throws Error naming `path`
// if it is of another format, lacks a field, has a negative step or was made for another architecture or N/M.
CheckpointHeader parse_checkpoint_header(const Json& json, const std::string& format, const codec::ArchConfig& want,
                                         const std::string& path);

}  // namespace tiny::train
