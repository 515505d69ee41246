#include "convert/pickle.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cstring>
#include <map>

namespace tiny::convert {
namespace {

using Kind = PickleValue::Kind;

constexpr size_t kMaxStack = 1 << 20;
constexpr size_t kMaxString = size_t(1) << 30;

struct StorageName {
  const char* name;
  StorageType type;
};
constexpr StorageName kStorages[] = {
    {"FloatStorage", StorageType::f32}, {"DoubleStorage", StorageType::f64}, {"HalfStorage", StorageType::f16},
    {"BFloat16Storage", StorageType::bf16}, {"IntStorage", StorageType::i32}, {"LongStorage", StorageType::i64},
    {"ByteStorage", StorageType::u8}, {"CharStorage", StorageType::i8}, {"ShortStorage", StorageType::i16},
    {"BoolStorage", StorageType::boolean}};

class Reader {
public:
  Reader(const Bytes& data, const std::string& name) : data_(data), name_(name) {}

  Pickle run() {
    while (true) {
      size_t at = pos_;
      uint8_t op = byte();
      if (op == '.') break;
      step(op, at);
    }
    if (stack_.size() != 1 || !marks_.empty()) fail("pickle does not leave exactly one value");
    result_.root = stack_.back();
    return std::move(result_);
  }

private:
  [[noreturn]] void fail(const std::string& message) const { throw Error(file_error(name_, message)); }

  void need(size_t n) const {
    if (n > data_.size() - pos_) fail("pickle is truncated");
  }
  uint8_t byte() {
    need(1);
    return data_[pos_++];
  }
  template <typename T>
  T le() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::string chars(uint64_t n) {
    if (n > kMaxString) fail("pickle string is too long");
    need(size_t(n));
    std::string s(reinterpret_cast<const char*>(data_.data() + pos_), size_t(n));
    pos_ += size_t(n);
    return s;
  }
  std::string line() {
    std::string s;
    for (uint8_t c = byte(); c != '\n'; c = byte()) s.push_back(char(c));
    return s;
  }

  PickleValue* make(Kind k) { return result_.make(k); }
  void push(const PickleValue* v) {
    if (stack_.size() >= kMaxStack) fail("pickle stack is too deep");
    stack_.push_back(v);
  }
  const PickleValue* pop() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() == marks_.back())) fail("pickle stack underflow");
    const PickleValue* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  std::vector<const PickleValue*> pop_to_mark() {
    if (marks_.empty()) fail("pickle has no mark to pop to");
    std::vector<const PickleValue*> items(stack_.begin() + std::ptrdiff_t(marks_.back()), stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return items;
  }
  // The value below the top `depth` values, which must be a container of `kind` that this pickle built.
  PickleValue* mutable_at(size_t depth, Kind kind, const char* op) {
    if (stack_.size() <= depth) fail(fmt::format("pickle stack underflow at {}", op));
    const PickleValue* v = stack_[stack_.size() - 1 - depth];
    if (v->kind != kind) fail(fmt::format("pickle opcode {} applies to a value of the wrong type", op));
    return const_cast<PickleValue*>(v);
  }
  void push_int(int64_t v) {
    PickleValue* p = make(Kind::integer);
    p->integer = v;
    push(p);
  }
  void push_text(Kind k, std::string s) {
    PickleValue* p = make(k);
    p->text = std::move(s);
    push(p);
  }
  void push_tuple(std::vector<const PickleValue*> items) {
    PickleValue* p = make(Kind::tuple);
    p->items = std::move(items);
    push(p);
  }
  void memo_put(uint64_t key) {
    if (stack_.empty()) fail("pickle memoizes an empty stack");
    memo_[key] = stack_.back();
  }
  void memo_get(uint64_t key) {
    auto it = memo_.find(key);
    if (it == memo_.end()) fail(fmt::format("pickle refers to memo entry {} that does not exist", key));
    push(it->second);
  }
  void global(const std::string& module, const std::string& name) {
    PickleValue* g = make(Kind::global);
    g->text = module + "." + name;
    bool allowed = g->text == "collections.OrderedDict" || g->text == "torch._utils._rebuild_tensor_v2";
    if (module == "torch")
      for (const auto& s : kStorages)
        if (name == s.name) {
          allowed = true;
          g->storage_type = s.type;
        }
    if (!allowed) fail(fmt::format("pickle imports global '{}', which tiny does not allow", g->text));
    push(g);
  }
  void reduce() {
    const PickleValue* args = pop();
    const PickleValue* fn = pop();
    if (fn->kind != Kind::global || args->kind != Kind::tuple) fail("pickle REDUCE needs a global and a tuple");
    if (fn->text == "collections.OrderedDict") {
      if (!args->items.empty()) fail("pickle calls collections.OrderedDict with arguments");
      push(make(Kind::dict));
      return;
    }
    if (fn->text != "torch._utils._rebuild_tensor_v2")
      fail(fmt::format("pickle calls '{}', which tiny does not allow", fn->text));
    push(rebuild_tensor(args->items));
  }
  std::vector<int64_t> int_tuple(const PickleValue* v) {
    if (v->kind != Kind::tuple) fail("tensor size/stride is not a tuple");
    std::vector<int64_t> out;
    for (const PickleValue* i : v->items) {
      if (i->kind != Kind::integer || i->integer < 0) fail("tensor size/stride holds a bad value");
      out.push_back(i->integer);
    }
    return out;
  }
  const PickleValue* rebuild_tensor(const std::vector<const PickleValue*>& a) {
    if (a.size() < 4 || a[0]->kind != Kind::storage || a[1]->kind != Kind::integer)
      fail("pickle calls _rebuild_tensor_v2 with bad arguments");
    PickleValue* t = make(Kind::tensor);
    t->items = {a[0]};
    t->offset = a[1]->integer;
    t->shape = int_tuple(a[2]);
    t->stride = int_tuple(a[3]);
    if (t->offset < 0 || t->shape.size() != t->stride.size()) fail("pickle tensor has bad offset or strides");
    return t;
  }
  void persistent_id() {
    const PickleValue* pid = pop();
    const auto& f = pid->items;
    if (pid->kind != Kind::tuple || f.size() != 5 || f[0]->kind != Kind::string || f[0]->text != "storage" ||
        f[1]->kind != Kind::global || f[1]->text.find("Storage") == std::string::npos || f[2]->kind != Kind::string ||
        f[4]->kind != Kind::integer || f[4]->integer < 0)
      fail("pickle has a persistent id that is not a torch storage record");
    PickleValue* s = make(Kind::storage);
    s->storage_type = f[1]->storage_type;
    s->text = f[2]->text;
    s->integer = f[4]->integer;
    push(s);
  }
  void set_items(PickleValue* dict, const std::vector<const PickleValue*>& kv) {
    if (kv.size() % 2) fail("pickle SETITEMS has an odd number of values");
    for (size_t i = 0; i < kv.size(); i += 2) dict->entries.emplace_back(kv[i], kv[i + 1]);
  }

  void step(uint8_t op, size_t at) {
    switch (op) {
      case 0x80: byte(); break;                    // PROTO
      case 0x95: le<uint64_t>(); break;            // FRAME
      case '(': marks_.push_back(stack_.size()); break;  // MARK
      case '0': pop(); break;                      // POP
      case '1': pop_to_mark(); break;              // POP_MARK
      case 'N': push(make(Kind::none)); break;     // NONE
      case 0x88: case 0x89: {                      // NEWTRUE, NEWFALSE
        PickleValue* b = make(Kind::boolean);
        b->integer = op == 0x88;
        push(b);
        break;
      }
      case 'J': push_int(le<int32_t>()); break;    // BININT
      case 'K': push_int(le<uint8_t>()); break;    // BININT1
      case 'M': push_int(le<uint16_t>()); break;   // BININT2
      case 0x8a: {                                 // LONG1
        uint8_t n = byte();
        if (n > 8) fail("pickle integer is too large");
        std::string b = chars(n);
        uint64_t v = 0;
        for (size_t i = 0; i < n; ++i) v |= uint64_t(uint8_t(b[i])) << (8 * i);
        if (n > 0 && n < 8 && (uint8_t(b[n - 1]) & 0x80)) v |= ~uint64_t(0) << (8 * n);
        push_int(int64_t(v));
        break;
      }
      case 'G': {                                  // BINFLOAT (big-endian)
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | byte();
        PickleValue* f = make(Kind::real);
        std::memcpy(&f->real, &bits, 8);
        push(f);
        break;
      }
      case 'X': push_text(Kind::string, chars(le<uint32_t>())); break;    // BINUNICODE
      case 0x8c: push_text(Kind::string, chars(byte())); break;           // SHORT_BINUNICODE
      case 0x8d: push_text(Kind::string, chars(le<uint64_t>())); break;   // BINUNICODE8
      case 'B': push_text(Kind::bytes, chars(le<uint32_t>())); break;     // BINBYTES
      case 'C': push_text(Kind::bytes, chars(byte())); break;             // SHORT_BINBYTES
      case ')': push_tuple({}); break;                                     // EMPTY_TUPLE
      case 't': push_tuple(pop_to_mark()); break;                          // TUPLE
      case 0x85: push_tuple({pop()}); break;                               // TUPLE1
      case 0x86: { auto b = pop(); auto a = pop(); push_tuple({a, b}); break; }  // TUPLE2
      case 0x87: { auto c = pop(); auto b = pop(); auto a = pop(); push_tuple({a, b, c}); break; }  // TUPLE3
      case ']': push(make(Kind::list)); break;                             // EMPTY_LIST
      case '}': push(make(Kind::dict)); break;                             // EMPTY_DICT
      case 'a': { auto v = pop(); mutable_at(0, Kind::list, "APPEND")->items.push_back(v); break; }
      case 'e': { auto v = pop_to_mark(); auto* l = mutable_at(0, Kind::list, "APPENDS");
                  l->items.insert(l->items.end(), v.begin(), v.end()); break; }
      case 's': { auto v = pop(); auto k = pop(); mutable_at(0, Kind::dict, "SETITEM")->entries.emplace_back(k, v); break; }
      case 'u': { auto kv = pop_to_mark(); set_items(mutable_at(0, Kind::dict, "SETITEMS"), kv); break; }
      case 'c': { std::string m = line(); global(m, line()); break; }     // GLOBAL
      case 0x93: {                                                         // STACK_GLOBAL
        auto n = pop(); auto m = pop();
        if (n->kind != Kind::string || m->kind != Kind::string) fail("pickle STACK_GLOBAL needs two strings");
        global(m->text, n->text);
        break;
      }
      case 'R': reduce(); break;                                           // REDUCE
      case 'b': pop(); mutable_at(0, Kind::dict, "BUILD"); break;          // BUILD (an OrderedDict's attributes)
      case 'Q': persistent_id(); break;                                    // BINPERSID
      case 'q': memo_put(byte()); break;                                   // BINPUT
      case 'r': memo_put(le<uint32_t>()); break;                           // LONG_BINPUT
      case 0x94: memo_put(memo_.size()); break;                            // MEMOIZE
      case 'h': memo_get(byte()); break;                                   // BINGET
      case 'j': memo_get(le<uint32_t>()); break;                           // LONG_BINGET
      default: fail(fmt::format("pickle opcode 0x{:02x} at byte {} is not supported", op, at));
    }
  }

  const Bytes& data_;
  const std::string& name_;
  size_t pos_ = 0;
  std::vector<const PickleValue*> stack_;
  std::vector<size_t> marks_;
  std::map<uint64_t, const PickleValue*> memo_;
  Pickle result_;
};

}  // namespace

PickleValue* Pickle::make(PickleValue::Kind kind) {
  arena_.push_back(std::make_unique<PickleValue>());
  arena_.back()->kind = kind;
  return arena_.back().get();
}

Pickle parse_pickle(const Bytes& data, const std::string& name) { return Reader(data, name).run(); }

size_t storage_type_size(StorageType t) {
  switch (t) {
    case StorageType::f64: case StorageType::i64: return 8;
    case StorageType::f32: case StorageType::i32: return 4;
    case StorageType::f16: case StorageType::bf16: case StorageType::i16: return 2;
    default: return 1;
  }
}

const char* storage_type_name(StorageType t) {
  for (const auto& s : kStorages)
    if (s.type == t) return s.name;
  return "?";
}

}  // namespace tiny::convert
