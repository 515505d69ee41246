#pragma once
// Brace expansion of shard lists, as WebDataset and the shell write them: "data-{00000..00099}.tar"
// (numeric ranges, zero padding kept from the wider bound) and "{train,val}-{0..3}.tar" (lists).
#include <cstddef>
#include <string>
#include <vector>

namespace tiny::shards {

// Expands every brace group of `pattern` (left to right, nested groups allowed) into the list of
// names; throws UsageError naming the pattern on unbalanced braces, a bad range, more than `limit` names,
// braces nested deeper than 32 or a pattern longer than 4096 characters.
std::vector<std::string> expand_braces(const std::string& pattern, size_t limit = 1000000);

}  // namespace tiny::shards
