#include "convert/pickle.hpp"

#include <cstring>

namespace tiny::convert {
namespace {

class Writer {
public:
  void op(uint8_t c) { out.push_back(c); }
  void raw(const std::string& s) { out.insert(out.end(), s.begin(), s.end()); }
  void u32(uint32_t v) {
    uint8_t b[4];
    std::memcpy(b, &v, 4);
    out.insert(out.end(), b, b + 4);
  }
  void str(const std::string& s) {
    op('X');
    u32(uint32_t(s.size()));
    raw(s);
  }
  void integer(int64_t v) {
    if (v >= 0 && v < (int64_t(1) << 31)) {
      op('J');
      u32(uint32_t(v));
      return;
    }
    op(0x8a);  // LONG1, 8 bytes little-endian two's complement
    op(8);
    uint8_t b[8];
    std::memcpy(b, &v, 8);
    out.insert(out.end(), b, b + 8);
  }
  void global(const std::string& module, const std::string& name) {
    op('c');
    raw(module + "\n" + name + "\n");
  }
  void int_tuple(const std::vector<int64_t>& v) {
    op('(');
    for (int64_t x : v) integer(x);
    op('t');
  }
  Bytes out;
};

}  // namespace

Bytes write_state_dict_pickle(const std::vector<PickledTensor>& tensors) {
  Writer w;
  w.op(0x80);
  w.op(2);
  w.op('}');
  w.op('(');
  for (const auto& t : tensors) {
    w.str(t.name);
    w.global("torch._utils", "_rebuild_tensor_v2");
    w.op('(');
    w.op('(');  // persistent id: ('storage', type, key, location, numel)
    w.str("storage");
    w.global("torch", storage_type_name(t.type));
    w.str(t.key);
    w.str("cpu");
    int64_t numel = 1;
    for (int64_t d : t.shape) numel *= d;
    w.integer(numel);
    w.op('t');
    w.op('Q');
    w.integer(0);
    w.int_tuple(t.shape);
    std::vector<int64_t> stride(t.shape.size(), 1);
    for (size_t i = t.shape.size(); i-- > 1;) stride[i - 1] = stride[i] * t.shape[i];
    w.int_tuple(stride);
    w.op(0x89);  // requires_grad = False
    w.global("collections", "OrderedDict");
    w.op(')');
    w.op('R');
    w.op('t');
    w.op('R');
  }
  w.op('u');
  w.op('.');
  return w.out;
}

}  // namespace tiny::convert
