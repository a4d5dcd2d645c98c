# Warnings, sanitizers and the compile cache, applied through one interface
# target so every project target gets the same flags.
add_library(causality_options INTERFACE)
add_library(causality::options ALIAS causality_options)
target_compile_options(causality_options INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
if(CAUSALITY_WERROR)
  target_compile_options(causality_options INTERFACE -Werror)
endif()
if(CAUSALITY_SANITIZE)
  string(REPLACE ";" "," _san "${CAUSALITY_SANITIZE}")
  target_compile_options(causality_options INTERFACE -fsanitize=${_san} -fno-omit-frame-pointer)
  target_link_options(causality_options INTERFACE -fsanitize=${_san})
  # -Wtsan only says that TSan does not model the atomic_thread_fence of
  # Boost.Asio's handlers (the domain server, the metrics server): not a
  # finding in our code.
  if(CAUSALITY_SANITIZE MATCHES "thread")
    target_compile_options(causality_options INTERFACE -Wno-tsan)
  endif()
endif()
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  # Paths relative to the checkout and the working directory left out of the
  # hash: a second clone or worktree of the project reuses the cache.
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}
      CCACHE_NOHASHDIR=true ${CCACHE_PROGRAM} CACHE STRING "" FORCE)
endif()

# causality_add_library(NAME SOURCES... DEPS ...): a layer library with its
# public include/ folder and the alias causality::NAME.
function(causality_add_library name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_library(causality_${name} ${A_SOURCES})
  add_library(causality::${name} ALIAS causality_${name})
  target_include_directories(causality_${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  # The project's warning and sanitizer flags stay in this build: a static
  # library would otherwise carry causality::options into its export.
  target_link_libraries(causality_${name} PUBLIC ${A_DEPS} PRIVATE $<BUILD_INTERFACE:causality::options>)
  set_target_properties(causality_${name} PROPERTIES OUTPUT_NAME causality_${name})
endfunction()
