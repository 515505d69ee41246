/* tiny's torch-free decoder, C API: decodes a `.tic` bitstream held in memory into 8-bit RGB pixels
 * with the `.tmodel` it was made with, on tiny's own code (no libtorch). By default the pixels are
 * those of `tiny decompress --exact`, identical on every machine; tiny_decoder_set_exact(0) runs the
 * synthesis on oneDNN instead (several times faster: the pixels of plain `tiny decompress` on the same
 * machine). Architectures: bmshj2018-factorized,
 * bmshj2018-hyperprior, mbt2018-mean, mbt2018-mean-vr. Link with -ltiny_decoder. docs/decoder.md.
 *
 * Every function returns a status; on failure, tiny_decoder_last_error() gives a one-line message
 * naming the input and the problem (per thread). A model handle is immutable: any number of threads
 * may decode with one handle at once. No C++ exception crosses this API. */
#ifndef TINY_DECODER_H
#define TINY_DECODER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tiny_decoder_status {
  TINY_DECODER_OK = 0,
  TINY_DECODER_INVALID_ARGUMENT = 1, /* a null pointer where one is needed (data may be null when its size is 0) */
  TINY_DECODER_BAD_MODEL = 2,        /* the model bytes are not a valid .tmodel (or the file is unreadable) */
  TINY_DECODER_UNSUPPORTED = 3,      /* a valid model of an architecture this decoder does not run */
  TINY_DECODER_BAD_BITSTREAM = 4,    /* the .tic bytes are damaged, truncated or inconsistent */
  TINY_DECODER_WRONG_MODEL = 5,      /* a valid .tic made with another model */
  TINY_DECODER_BUFFER_TOO_SMALL = 6, /* the caller's RGB buffer is smaller than width * height * 3 */
  TINY_DECODER_OUT_OF_MEMORY = 7,
  TINY_DECODER_STOPPED = 8           /* a row callback returned non-zero */
} tiny_decoder_status;

/* A loaded model (opaque). */
typedef struct tiny_decoder_model tiny_decoder_model;

/* Loads a model from `size` bytes of a .tmodel file (copied; the bytes may be freed afterwards). */
tiny_decoder_status tiny_decoder_model_load(const void* data, size_t size, tiny_decoder_model** model);
/* Loads a model from a .tmodel file. */
tiny_decoder_status tiny_decoder_model_load_file(const char* path, tiny_decoder_model** model);
/* Frees a model (null is ignored). */
void tiny_decoder_model_free(tiny_decoder_model* model);
/* The architecture name of a model (valid while the model lives). */
const char* tiny_decoder_model_arch(const tiny_decoder_model* model);

/* The image size a .tic declares (the container is checked: magic, version, lengths, CRC). */
tiny_decoder_status tiny_decoder_image_size(const void* tic, size_t size, uint32_t* width, uint32_t* height);
/* Decodes a .tic into the caller's buffer of rgb_size bytes: width * height * 3 bytes are written,
 * rows top to bottom, R, G, B per pixel. */
tiny_decoder_status tiny_decoder_decode(const tiny_decoder_model* model, const void* tic, size_t size, uint8_t* rgb,
                                        size_t rgb_size);
/* Decodes a .tic into a new buffer of width * height * 3 bytes, freed by the caller with tiny_decoder_free. */
tiny_decoder_status tiny_decoder_decode_alloc(const tiny_decoder_model* model, const void* tic, size_t size,
                                              uint8_t** rgb, uint32_t* width, uint32_t* height);
/* Receives rows [first_row, first_row + rows) of a decoded image, width * 3 bytes each (R, G, B per
 * pixel), valid during the call; returns 0 to go on, non-zero to stop the decode. */
typedef int (*tiny_decoder_rows_callback)(void* user, const uint8_t* rgb, uint32_t first_row, uint32_t rows,
                                          uint32_t width, uint32_t height);
/* Decodes a .tic band by band (768-row bands, top to bottom), each handed to `callback` as it is
 * synthesized: the image is never whole in memory. */
tiny_decoder_status tiny_decoder_decode_rows(const tiny_decoder_model* model, const void* tic, size_t size,
                                             tiny_decoder_rows_callback callback, void* user);
/* Frees a buffer from tiny_decoder_decode_alloc (null is ignored). */
void tiny_decoder_free(void* buffer);

/* The message of this thread's last failed call ("" if none failed yet). */
const char* tiny_decoder_last_error(void);
/* Limits the decoder's worker threads to n (n <= 0: all cores; the default). Process-wide. */
void tiny_decoder_set_threads(int n);
/* exact != 0 (the default): the fixed-order synthesis, identical pixels everywhere; 0: the oneDNN
 * synthesis where the library was built with oneDNN (else still exact). Process-wide. */
void tiny_decoder_set_exact(int exact);

#ifdef __cplusplus
}
#endif

#endif
