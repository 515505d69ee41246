#include "convert/pickle.hpp"
#include "convert/pickle_lengths.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <string>

using namespace tiny;
using namespace tiny::convert;
using Kind = PickleValue::Kind;

namespace {

// The bytes of a string literal, embedded zero bytes included.
template <size_t N>
std::string S(const char (&s)[N]) {
  return std::string(s, N - 1);
}

Bytes bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::string error_of(const std::string& pickle) {
  try {
    parse_pickle(bytes(pickle), "t.pkl");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("pickle: an OrderedDict state_dict with _metadata, memo and a tensor") {
  // What torch.save writes for OrderedDict([("w", tensor)]) with a _metadata attribute (protocol 2).
  std::string p = S("\x80\x02") + S("ccollections\nOrderedDict\nq\x00)Rq\x01") +
                  S("X\x01\x00\x00\x00wq\x02") + "ctorch._utils\n_rebuild_tensor_v2\nq\x03" +
                  S("((X\x07\x00\x00\x00storageq\x04") + "ctorch\nFloatStorage\nq\x05" +
                  S("X\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuK\x06tq\x06Q") + S("K\x00K\x02K\x03\x86K\x03K\x01\x86\x89") +
                  S("h\x00)Rtq\x07R") + S("s}X\x09\x00\x00\x00_metadatah\x00)Rsb.");
  Pickle pk = parse_pickle(bytes(p), "t.pkl");
  REQUIRE(pk.root->kind == Kind::dict);
  REQUIRE(pk.root->entries.size() == 1);
  CHECK(pk.root->entries[0].first->text == "w");
  const PickleValue* t = pk.root->entries[0].second;
  REQUIRE(t->kind == Kind::tensor);
  CHECK(t->shape == std::vector<int64_t>{2, 3});
  CHECK(t->stride == std::vector<int64_t>{3, 1});
  CHECK(t->items[0]->text == "0");
  CHECK(t->items[0]->integer == 6);
  CHECK(t->items[0]->storage_type == StorageType::f32);
}

TEST_CASE("pickle: scalars, lists, protocol 4 framing and negative LONG1") {
  std::string p = S("\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00") + "](K\x01\x8a\x01\xff" + "G" +
                  S("\x3f\xf8\x00\x00\x00\x00\x00\x00") + "N\x88\x8c\x02hie\x94.";
  Pickle pk = parse_pickle(bytes(p), "t.pkl");
  REQUIRE(pk.root->kind == Kind::list);
  REQUIRE(pk.root->items.size() == 6);
  CHECK(pk.root->items[0]->integer == 1);
  CHECK(pk.root->items[1]->integer == -1);
  CHECK(pk.root->items[2]->real == 1.5);
  CHECK(pk.root->items[3]->kind == Kind::none);
  CHECK(pk.root->items[4]->integer == 1);
  CHECK(pk.root->items[5]->text == "hi");
}

TEST_CASE("pickle: the state_dict writer's output parses back") {
  Bytes data = write_state_dict_pickle({{"a.weight", "0", StorageType::f32, {4, 2, 3, 3}},
                                        {"b._offset", "1", StorageType::i32, {5}}});
  Pickle pk = parse_pickle(data, "w.pkl");
  REQUIRE(pk.root->entries.size() == 2);
  CHECK(pk.root->entries[0].second->shape == std::vector<int64_t>{4, 2, 3, 3});
  CHECK(pk.root->entries[0].second->stride == std::vector<int64_t>{18, 9, 3, 1});
  CHECK(pk.root->entries[1].second->items[0]->storage_type == StorageType::i32);
  CHECK(pk.root->entries[1].second->items[0]->integer == 5);
}

TEST_CASE("pickle: globals outside the allow-list are refused by name, never imported") {
  CHECK(error_of(S("\x80\x02" "cos\nsystem\nX\x02\x00\x00\x00lsR.")) ==
        "t.pkl: pickle imports global 'os.system', which tiny does not allow");
  CHECK(error_of("\x80\x04\x8c\x08" "builtins\x8c\x04" "eval\x93.").find("'builtins.eval'") != std::string::npos);
  CHECK(error_of("\x80\x02" "ctorch\nload\n.").find("'torch.load'") != std::string::npos);
  // A storage type called as a function is not one of the allowed calls.
  CHECK(error_of("\x80\x02" "ctorch\nFloatStorage\n)R.").find("calls 'torch.FloatStorage'") != std::string::npos);
}

TEST_CASE("pickle: unsupported opcodes are named") {
  CHECK(error_of("\x80\x02" "I12\n.") == "t.pkl: pickle opcode 0x49 at byte 2 is not supported");
  CHECK(error_of("\x80\x02}\x81.").find("opcode 0x81") != std::string::npos);  // NEWOBJ
  CHECK(error_of("\x80\x02}i.").find("opcode 0x69") != std::string::npos);     // INST
}

TEST_CASE("pickle: malformed streams fail cleanly") {
  CHECK(error_of(S("\x80\x02X\xff\x00\x00\x00" "ab")) == "t.pkl: pickle is truncated");
  CHECK(error_of("\x80\x02}") == "t.pkl: pickle is truncated");
  CHECK(error_of("\x80\x02s.").find("underflow") != std::string::npos);
  CHECK(error_of("\x80\x02h\x05.").find("memo entry 5") != std::string::npos);
  CHECK(error_of("\x80\x02K\x01K\x02.").find("exactly one value") != std::string::npos);
  CHECK(error_of("\x80\x02K\x01K\x02" "a.").find("wrong type") != std::string::npos);
  CHECK(error_of(S("\x80\x02(X\x03\x00\x00\x00" "fooQ.")).find("not a torch storage record") != std::string::npos);
  CHECK(error_of("\x80\x02(t\x85Q.").find("not a torch storage record") != std::string::npos);
}

TEST_CASE("pickle: a self-referencing list parses without recursion") {
  // l = []; l.append(l)
  Pickle pk = parse_pickle(bytes(S("\x80\x02]q\x00h\x00" "a.")), "t.pkl");
  REQUIRE(pk.root->kind == Kind::list);
  CHECK(pk.root->items[0] == pk.root);
}

TEST_CASE("pickle: the fuzz corpus and its mutations parse or fail with tiny::Error") {
  std::filesystem::path dir = std::filesystem::path(TINY_SOURCE_DIR) / "tests/fuzz/corpus_pickle";
  REQUIRE(std::filesystem::is_directory(dir));
  std::mt19937 rng(11);
  int parsed = 0, refused = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    Bytes seed = read_file(entry.path().string());
    for (int i = 0; i < 3000; ++i) {
      Bytes b = seed;
      if (i > 0) {
        int edits = 1 + int(rng() % 4);
        for (int e = 0; e < edits && !b.empty(); ++e) {
          size_t at = rng() % b.size();
          switch (rng() % 3) {
            case 0: b[at] = uint8_t(rng()); break;
            case 1: b.resize(at); break;
            default: b.insert(b.begin() + std::ptrdiff_t(at), uint8_t(rng()));
          }
        }
      }
      try {
        parse_pickle(b, "m.pkl");
        ++parsed;
      } catch (const Error&) {
        ++refused;
      }
    }
  }
  CHECK(parsed > 0);
  CHECK(refused > 0);
}

TEST_CASE("pickle: operand lengths are checked before libtorch's unpickler reserves them") {
  const auto error = [](const std::string& p) {
    try {
      check_pickle_lengths(reinterpret_cast<const uint8_t*>(p.data()), p.size(), "d.pkl");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error(S("\x80\x02}(X\x01\x00\x00\x00wctorch\nFloatStorage\nK\x01\x85q\x00u.")) == "");
  CHECK(error(S("\x80\x02X\x00\x00\x00\x60" "abc.")) == "d.pkl: pickle opcode at byte 2 claims more bytes than the pickle holds");
  CHECK(error(S("\x80\x02\x8d\xff\xff\xff\xff\xff\xff\xff\xff.")) ==
        "d.pkl: pickle opcode at byte 2 claims more bytes than the pickle holds");
  CHECK(error(S("\x80\x02J\x01\x00")) == "d.pkl: pickle opcode at byte 2 is cut short");
  CHECK(error(S("\x80\x02" "ctorch\nFloat.")) == "d.pkl: pickle opcode at byte 2 has no end of line");
  CHECK(error(S("\x80\x02\xff.")) == "d.pkl: pickle opcode at byte 2 0xff is unknown");
  CHECK(error(S("\x80\x02N")) == "d.pkl: pickle has no STOP opcode");
}
