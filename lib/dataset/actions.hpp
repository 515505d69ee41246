#pragma once
// Placing the kept files into an output folder: copy, hard link, symbolic link or move.
#include "dataset/sources.hpp"

#include <string>
#include <vector>

namespace tiny::dataset {

enum class Action { list, copy, hardlink, symlink, move };

// Parses "list", "copy", "hardlink", "symlink" or "move"; throws UsageError otherwise.
Action action_from_name(const std::string& name);

// Places each file at out_dir/relative (folders created). Every destination is checked first: if
// two files map to one destination or a destination exists, Error is thrown before anything is done.
void place_files(const std::vector<SourceFile>& files, const std::string& out_dir, Action action);

// Copies durably: to a temporary beside `to`, fsync, rename into place, fsync the folder.
void copy_file_durable(const std::string& from, const std::string& to);

// Moves a file without ever losing it: rename(2), or across filesystems a durable copy followed
// by unlinking the source (a crash leaves the file in its source, its destination or both).
void move_file(const std::string& from, const std::string& to);

}  // namespace tiny::dataset
