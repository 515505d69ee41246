# tiny_add_module(<name> SOURCES ... [DEPS ...] [TORCH | DECODER | OWN_LIBRARY])
# Declares lib/<name> as an object library `tiny_<name>`. DEPS are other tiny modules or imported
# targets; TORCH adds libtorch with a shared precompiled header. A module that uses torch, or depends on
# a module that does, becomes part of libtiny_models; a DECODER module (which may depend on DECODER
# modules only) part of libtiny_decoder, the small torch-free decoder library that libtiny links;
# OWN_LIBRARY keeps a module out of all three (it gets a shared library of its own in
# lib/CMakeLists.txt); every other module is part of the torch-free libtiny, which the `tiny` binary
# loads at start-up. Every module is also recorded for tiny_write_module_graph, which the include check
# reads (docs/architecture.md, "Build shape").
set(TINY_MODULES "" CACHE INTERNAL "")
set(TINY_DECODER_MODULES "" CACHE INTERNAL "")
set(TINY_TORCH_MODULES "" CACHE INTERNAL "")
set(TINY_MODULE_GRAPH "" CACHE INTERNAL "")

# tiny_fuzz_instrument(<target>): in a TINY_FUZZ build, compiles the target for the fuzz targets that
# link tiny's modules (tests/fuzz): coverage, ASan and UBSan, FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION;
# whatever links it gets the sanitizer runtimes.
function(tiny_fuzz_instrument target)
  if(TINY_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
    target_compile_definitions(${target} PRIVATE FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
    target_link_options(${target} INTERFACE -fsanitize=address,undefined)
  endif()
endfunction()

function(tiny_add_module name)
  cmake_parse_arguments(M "TORCH;DECODER;OWN_LIBRARY" "" "SOURCES;DEPS" ${ARGN})
  set(target tiny_${name})
  add_library(${target} OBJECT ${M_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/lib ${PROJECT_BINARY_DIR}/generated)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  set(torch_side ${M_TORCH})
  tiny_fuzz_instrument(${target})
  set(module_deps "")
  foreach(dep IN LISTS M_DEPS)
    if(TARGET tiny_${dep})
      list(APPEND module_deps ${dep})
      target_link_libraries(${target} PUBLIC tiny_${dep})
      if(tiny_${dep} IN_LIST TINY_TORCH_MODULES)
        set(torch_side ON)
      endif()
      if(M_DECODER AND NOT tiny_${dep} IN_LIST TINY_DECODER_MODULES)
        message(FATAL_ERROR "decoder module ${name} depends on ${dep}, which is not a DECODER module")
      endif()
    else()
      target_link_libraries(${target} PUBLIC ${dep})
    endif()
  endforeach()
  if(M_TORCH)
    target_link_libraries(${target} PUBLIC ${TORCH_LIBRARIES})
    target_include_directories(${target} SYSTEM PUBLIC ${TORCH_INCLUDE_DIRS})
    if(TARGET tiny_torch_pch)
      target_precompile_headers(${target} REUSE_FROM tiny_torch_pch)
    else()
      target_precompile_headers(${target} PRIVATE <torch/torch.h>)
    endif()
  endif()
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  list(JOIN module_deps " " deps_text)
  list(JOIN M_SOURCES " " sources_text)
  set(TINY_MODULE_GRAPH ${TINY_MODULE_GRAPH} "${name}|${folder}|${deps_text}|${sources_text}" CACHE INTERNAL "")
  if(M_DECODER AND M_TORCH)
    message(FATAL_ERROR "module ${name}: a DECODER module cannot use torch")
  endif()
  if(M_OWN_LIBRARY)
    # linked into a shared library of its own by lib/CMakeLists.txt
  elseif(torch_side)
    set(TINY_TORCH_MODULES ${TINY_TORCH_MODULES} ${target} CACHE INTERNAL "")
  elseif(M_DECODER)
    set(TINY_DECODER_MODULES ${TINY_DECODER_MODULES} ${target} CACHE INTERNAL "")
  else()
    set(TINY_MODULES ${TINY_MODULES} ${target} CACHE INTERNAL "")
  endif()
endfunction()

# tiny_write_module_graph(<file>): writes one line per module declared so far,
# "<name>|<folder>|<tiny modules in DEPS>|<sources>", for the include check (tests/graph).
function(tiny_write_module_graph file)
  list(JOIN TINY_MODULE_GRAPH "\n" text)
  file(WRITE ${file}.tmp "${text}\n")
  file(COPY_FILE ${file}.tmp ${file} ONLY_IF_DIFFERENT)
endfunction()
