#pragma once
// Placing the kept files into an output folder: copy, hard link, symbolic link or move (tar members
// can only be copied: their bytes are written out of the shard). Writing shards: shard_output.hpp.
#include "dataset/sources.hpp"

#include <string>
#include <vector>

namespace tiny::dataset {

enum class Action { list, copy, hardlink, symlink, move, shards };

// Parses "list", "copy", "hardlink", "symlink", "move" or "shards"; throws UsageError otherwise.
Action action_from_name(const std::string& name);
// The name of an action.
const char* action_name(Action action);
// Throws UsageError naming the first tar member if `action` is hardlink, symlink or move and any
// file is a tar member (members can be listed, copied or written to shards only).
void check_action(const std::vector<SourceFile>& files, Action action);

// Places each file at out_dir/relative (folders created); list and shards place nothing. The action
// is checked with check_action and every destination is checked first: if two files map to one
// destination or a destination exists, Error is thrown before anything is done.
void place_files(const std::vector<SourceFile>& files, const std::string& out_dir, Action action);

// Copies durably: to a temporary beside `to`, fsync, rename into place, fsync the folder.
void copy_file_durable(const std::string& from, const std::string& to);

// Moves a file without ever losing it: rename(2), or across filesystems a durable copy followed
// by unlinking the source (a crash leaves the file in its source, its destination or both).
void move_file(const std::string& from, const std::string& to);

}  // namespace tiny::dataset
