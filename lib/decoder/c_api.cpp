// The C API of tiny_decoder.h over the C++ API of decoder.hpp: every exception becomes a status and a
// per-thread message.
#include "decoder/tiny_decoder.h"

#include "core/threads.hpp"
#include "decoder/decoder.hpp"

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

struct tiny_decoder_model {
  tiny::decoder::Model model;
};

namespace {

thread_local std::string last_error;
std::atomic<bool> exact_synthesis{true};

tiny::decoder::Synthesis synthesis_mode() {
  return exact_synthesis ? tiny::decoder::Synthesis::exact : tiny::decoder::Synthesis::fast;
}

// What a row callback's non-zero return throws.
struct Stopped {};

tiny_decoder_status fail(tiny_decoder_status status, const std::string& message) {
  last_error = message;
  return status;
}

tiny_decoder_status status_of(tiny::decoder::Failure f) {
  switch (f) {
    case tiny::decoder::Failure::bad_model: return TINY_DECODER_BAD_MODEL;
    case tiny::decoder::Failure::unsupported: return TINY_DECODER_UNSUPPORTED;
    case tiny::decoder::Failure::bad_bitstream: return TINY_DECODER_BAD_BITSTREAM;
    case tiny::decoder::Failure::wrong_model: return TINY_DECODER_WRONG_MODEL;
    case tiny::decoder::Failure::small_buffer: return TINY_DECODER_BUFFER_TOO_SMALL;
  }
  return TINY_DECODER_BAD_BITSTREAM;
}

// Runs f, turning whatever it throws into a status and this thread's message; `fallback` is the
// status of an error of no known kind.
template <typename F>
tiny_decoder_status guarded(tiny_decoder_status fallback, F&& f) {
  try {
    f();
    return TINY_DECODER_OK;
  } catch (const Stopped&) {
    return fail(TINY_DECODER_STOPPED, "the row callback stopped the decode");
  } catch (const tiny::decoder::DecodeError& e) {
    return fail(status_of(e.failure()), e.what());
  } catch (const std::bad_alloc&) {
    return fail(TINY_DECODER_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(fallback, e.what());
  } catch (...) {
    return fail(fallback, "unknown error");
  }
}

const char kTicName[] = "<tic>";

}  // namespace

extern "C" {

tiny_decoder_status tiny_decoder_model_load(const void* data, size_t size, tiny_decoder_model** model) {
  if ((!data && size > 0) || !model) return fail(TINY_DECODER_INVALID_ARGUMENT, "tiny_decoder_model_load: null argument");
  *model = nullptr;
  return guarded(TINY_DECODER_BAD_MODEL, [&] {
    *model = new tiny_decoder_model{tiny::decoder::Model::from_bytes(static_cast<const uint8_t*>(data), size, "<model>")};
  });
}

tiny_decoder_status tiny_decoder_model_load_file(const char* path, tiny_decoder_model** model) {
  if (!path || !model) return fail(TINY_DECODER_INVALID_ARGUMENT, "tiny_decoder_model_load_file: null argument");
  *model = nullptr;
  return guarded(TINY_DECODER_BAD_MODEL,
                 [&] { *model = new tiny_decoder_model{tiny::decoder::Model::from_file(path)}; });
}

void tiny_decoder_model_free(tiny_decoder_model* model) { delete model; }

const char* tiny_decoder_model_arch(const tiny_decoder_model* model) {
  return model ? model->model.arch().c_str() : "";
}

tiny_decoder_status tiny_decoder_image_size(const void* tic, size_t size, uint32_t* width, uint32_t* height) {
  if ((!tic && size > 0) || !width || !height) return fail(TINY_DECODER_INVALID_ARGUMENT, "tiny_decoder_image_size: null argument");
  return guarded(TINY_DECODER_BAD_BITSTREAM, [&] {
    const tiny::decoder::ImageSize s = tiny::decoder::image_size(static_cast<const uint8_t*>(tic), size, kTicName);
    *width = s.width, *height = s.height;
  });
}

tiny_decoder_status tiny_decoder_decode(const tiny_decoder_model* model, const void* tic, size_t size, uint8_t* rgb,
                                        size_t rgb_size) {
  if (!model || (!tic && size > 0) || !rgb) return fail(TINY_DECODER_INVALID_ARGUMENT, "tiny_decoder_decode: null argument");
  return guarded(TINY_DECODER_BAD_BITSTREAM, [&] {
    tiny::decoder::decode(model->model, static_cast<const uint8_t*>(tic), size, kTicName, rgb, rgb_size,
                          synthesis_mode());
  });
}

tiny_decoder_status tiny_decoder_decode_alloc(const tiny_decoder_model* model, const void* tic, size_t size,
                                              uint8_t** rgb, uint32_t* width, uint32_t* height) {
  if (!model || (!tic && size > 0) || !rgb || !width || !height)
    return fail(TINY_DECODER_INVALID_ARGUMENT, "tiny_decoder_decode_alloc: null argument");
  *rgb = nullptr;
  // Allocated once the header is checked against the model, freed here on failure.
  std::unique_ptr<uint8_t, void (*)(void*)> buffer(nullptr, std::free);
  tiny::decoder::ImageSize image;
  const tiny_decoder_status s = guarded(TINY_DECODER_BAD_BITSTREAM, [&] {
    tiny::decoder::decode(model->model, static_cast<const uint8_t*>(tic), size, kTicName, [&](tiny::decoder::ImageSize is) {
      image = is;
      buffer.reset(static_cast<uint8_t*>(std::malloc(size_t(is.width) * is.height * 3)));
      if (!buffer) throw std::bad_alloc();
      return buffer.get();
    }, synthesis_mode());
  });
  if (s != TINY_DECODER_OK) return s;
  *width = image.width, *height = image.height;
  *rgb = buffer.release();
  return s;
}

tiny_decoder_status tiny_decoder_decode_rows(const tiny_decoder_model* model, const void* tic, size_t size,
                                             tiny_decoder_rows_callback callback, void* user) {
  if (!model || (!tic && size > 0) || !callback)
    return fail(TINY_DECODER_INVALID_ARGUMENT, "tiny_decoder_decode_rows: null argument");
  return guarded(TINY_DECODER_BAD_BITSTREAM, [&] {
    tiny::decoder::ImageSize image;
    tiny::decoder::RowSink sink;
    sink.start = [&](tiny::decoder::ImageSize s) { image = s; };
    sink.rows = [&](const uint8_t* rgb, uint32_t first, uint32_t count) {
      if (callback(user, rgb, first, count, image.width, image.height) != 0) throw Stopped{};
    };
    tiny::decoder::decode_rows(model->model, static_cast<const uint8_t*>(tic), size, kTicName, synthesis_mode(), sink);
  });
}

void tiny_decoder_free(void* buffer) { std::free(buffer); }

const char* tiny_decoder_last_error(void) { return last_error.c_str(); }

void tiny_decoder_set_threads(int n) { tiny::set_thread_count(n); }

void tiny_decoder_set_exact(int exact) { exact_synthesis = exact != 0; }

}  // extern "C"
