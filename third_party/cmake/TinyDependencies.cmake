# Every external library tiny links, found once here. Optional features set TINY_HAVE_<NAME>.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(TBB REQUIRED)
find_package(OpenCV 4 REQUIRED COMPONENTS core imgproc imgcodecs)
find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
pkg_check_modules(TURBOJPEG REQUIRED IMPORTED_TARGET libturbojpeg)
find_package(PNG REQUIRED)

# libtorch: Debian's CPU build by default; point Torch_DIR (or CMAKE_PREFIX_PATH) at a CUDA libtorch,
# e.g. the one inside PyTorch's wheel, to build for GPUs (see docs/gpu.md).
find_package(Torch REQUIRED)
set(TINY_HAVE_CUDA OFF)
if(TORCH_CUDA_LIBRARIES OR CUDA_FOUND)
  set(TINY_HAVE_CUDA ON)
endif()

# Optional features reported by `tiny --version`; modules append to this list.
set(TINY_FEATURES "torch-${Torch_VERSION}" "opencv-${OpenCV_VERSION}" "tbb")
if(TINY_HAVE_CUDA)
  list(APPEND TINY_FEATURES cuda)
endif()

# Classical codecs measured by `tiny bench` through their libraries.
pkg_check_modules(WEBP REQUIRED IMPORTED_TARGET libwebp)
pkg_check_modules(OPENJP2 REQUIRED IMPORTED_TARGET libopenjp2)
pkg_check_modules(AVIF REQUIRED IMPORTED_TARGET libavif)
pkg_check_modules(JXL REQUIRED IMPORTED_TARGET libjxl libjxl_threads)
list(APPEND TINY_FEATURES "libwebp-${WEBP_VERSION}" "openjpeg-${OPENJP2_VERSION}" "libavif-${AVIF_VERSION}" "libjxl-${JXL_libjxl_VERSION}")
# FFmpeg for lib/video (tiny frames, tiny info on videos).
pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libswscale libavutil)
list(APPEND TINY_FEATURES "ffmpeg-${FFMPEG_libavformat_VERSION}")
# libcurl and libarchive for lib/ingest (downloads, WebDataset tar shards).
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
list(APPEND TINY_FEATURES "libcurl-${CURL_VERSION}" "libarchive-${LIBARCHIVE_VERSION}")
