/* A C program that uses only tiny_decoder.h (compiled as C, linked only with libtiny_decoder):
 *   decoder_c_example MODEL.tmodel IN.tic OUT.rgb
 * decodes IN.tic into raw RGB bytes in OUT.rgb and prints "WxH"; then prints the libraries this process
 * maps (from /proc/self/maps), one per line, for the tests to check that no libtorch is among them. On
 * failure it prints the status and message to stderr and exits 1. */
#include "decoder/tiny_decoder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char* read_all(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  unsigned char* data = NULL;
  long n;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    data = (unsigned char*)malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) == (size_t)n) {
      *size = (size_t)n;
    } else {
      free(data);
      data = NULL;
    }
  }
  fclose(f);
  return data;
}

static void print_libraries(void) {
  char line[4096];
  FILE* maps = fopen("/proc/self/maps", "r");
  if (!maps) return;
  while (fgets(line, sizeof line, maps)) {
    const char* path = strchr(line, '/');
    if (path && strstr(path, ".so")) printf("%s", path);
  }
  fclose(maps);
}

int main(int argc, char** argv) {
  tiny_decoder_model* model = NULL;
  unsigned char* tic;
  uint8_t* rgb = NULL;
  uint32_t width = 0, height = 0;
  size_t size = 0;
  tiny_decoder_status status;
  FILE* out;
  if (argc != 4) {
    fprintf(stderr, "usage: %s MODEL.tmodel IN.tic OUT.rgb\n", argv[0]);
    return 2;
  }
  status = tiny_decoder_model_load_file(argv[1], &model);
  if (status != TINY_DECODER_OK) {
    fprintf(stderr, "status %d: %s\n", (int)status, tiny_decoder_last_error());
    return 1;
  }
  tic = read_all(argv[2], &size);
  if (!tic) {
    fprintf(stderr, "%s: cannot read\n", argv[2]);
    tiny_decoder_model_free(model);
    return 1;
  }
  status = tiny_decoder_decode_alloc(model, tic, size, &rgb, &width, &height);
  free(tic);
  tiny_decoder_model_free(model);
  if (status != TINY_DECODER_OK) {
    fprintf(stderr, "status %d: %s\n", (int)status, tiny_decoder_last_error());
    return 1;
  }
  out = fopen(argv[3], "wb");
  if (!out || fwrite(rgb, 1, (size_t)width * height * 3, out) != (size_t)width * height * 3) {
    fprintf(stderr, "%s: cannot write\n", argv[3]);
    tiny_decoder_free(rgb);
    if (out) fclose(out);
    return 1;
  }
  fclose(out);
  tiny_decoder_free(rgb);
  printf("%ux%u\n", (unsigned)width, (unsigned)height);
  print_libraries();
  return 0;
}
