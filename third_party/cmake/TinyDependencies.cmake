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
# lib/plot: cairo measures text and writes PNGs; librsvg draws the SVG plots to PNG, opened with dlopen on
# first use, so only its headers are needed here (libtiny does not link it, nor glib and pango under it).
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)
pkg_check_modules(RSVG REQUIRED librsvg-2.0>=2.46)
add_library(TinyRsvgHeaders INTERFACE)
target_include_directories(TinyRsvgHeaders SYSTEM INTERFACE ${RSVG_INCLUDE_DIRS})
list(APPEND TINY_FEATURES "cairo-${CAIRO_VERSION}" "librsvg-${RSVG_VERSION}")
# FFmpeg for lib/video (tiny frames, tiny info on videos).
pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libswscale libavutil)
list(APPEND TINY_FEATURES "ffmpeg-${FFMPEG_libavformat_VERSION}")
# libcurl and libarchive for lib/ingest (downloads, WebDataset tar shards).
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
list(APPEND TINY_FEATURES "libcurl-${CURL_VERSION}" "libarchive-${LIBARCHIVE_VERSION}")

# oneDNN (2.x API), called directly by lib/nn for the codec transforms at inference. Used only when
# libtorch itself links this same shared libdnnl (as Debian's does): other libtorch builds carry a
# oneDNN of their own, and two copies in one process could clash. Without it torch runs the transforms.
# (Debian's dnnl-config.cmake insists on OpenCL, so the header and library are found directly.)
set(TINY_HAVE_ONEDNN OFF)
find_path(TINY_DNNL_INCLUDE_DIR dnnl.hpp)
find_library(TINY_DNNL_LIBRARY NAMES dnnl)
find_library(TINY_TORCH_CPU_LIBRARY NAMES torch_cpu HINTS "${TORCH_INSTALL_PREFIX}/lib")
if(TINY_DNNL_INCLUDE_DIR AND TINY_DNNL_LIBRARY AND TINY_TORCH_CPU_LIBRARY AND CMAKE_OBJDUMP)
  file(STRINGS "${TINY_DNNL_INCLUDE_DIR}/oneapi/dnnl/dnnl_version.h" _dnnl_major REGEX "define DNNL_VERSION_MAJOR")
  file(STRINGS "${TINY_DNNL_INCLUDE_DIR}/oneapi/dnnl/dnnl_version.h" _dnnl_minor REGEX "define DNNL_VERSION_MINOR")
  string(REGEX MATCH "[0-9]+" _dnnl_major "${_dnnl_major}")
  string(REGEX MATCH "[0-9]+" _dnnl_minor "${_dnnl_minor}")
  execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${TINY_TORCH_CPU_LIBRARY} OUTPUT_VARIABLE _torch_headers ERROR_QUIET)
  if(_dnnl_major EQUAL 2 AND _torch_headers MATCHES "NEEDED +libdnnl\\.so")
    set(TINY_HAVE_ONEDNN ON)
    list(APPEND TINY_FEATURES "onednn-${_dnnl_major}.${_dnnl_minor}")
  endif()
endif()
message(STATUS "tiny: oneDNN transforms ${TINY_HAVE_ONEDNN}")
