# The layering check of DESIGN.md, run by ctest (tests/layering) or by hand:
#
#   cmake [-DROOT=<tree>] [-DMODE=layers|impl] [-DMAX_LINES=400] -P cmake/check_layers.cmake
#
# MODE=layers (default) fails when
#  - a header or source of one floor includes a header of a floor above it:
#      model (0) < strategies (1) = domains (1) < observe (2) < actors (3)
#      < runtime (4) < apps (5)
#    An include is mapped to the floor of the folder that provides it (the
#    folder whose include/ tree holds it, e.g. domains/server/include is
#    domains; <causality/causality.hpp> is runtime); a quoted include that
#    resolves relative to the including file is mapped by the folder it lands
#    in. Each is printed as `file:line: <floor> includes <header> of <floor>`;
#  - a C++ source or header in those folders has more than MAX_LINES lines.
# It also reports how many `impl*` occurrences actors/src still has.
# MODE=impl fails on every `impl*` occurrence in actors/src (the engine's
# shared state handed to the actors), printed as `file:line: impl* ...`.
# ROOT defaults to the source tree this script belongs to.
cmake_minimum_required(VERSION 3.20)

if(NOT DEFINED ROOT)
  get_filename_component(ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
endif()
get_filename_component(ROOT "${ROOT}" ABSOLUTE)
if(NOT DEFINED MODE)
  set(MODE layers)
endif()
if(NOT DEFINED MAX_LINES)
  set(MAX_LINES 400)
endif()
if(NOT MODE MATCHES "^(layers|impl)$")
  message(FATAL_ERROR "check_layers: unknown MODE '${MODE}' (expected layers or impl)")
endif()

# Floors of DESIGN.md, inner first.
set(_floors model strategies domains observe actors runtime apps)
set(_floor_model 0)
set(_floor_strategies 1)
set(_floor_domains 1)
set(_floor_observe 2)
set(_floor_actors 3)
set(_floor_runtime 4)
set(_floor_apps 5)
set(_src_globs *.hpp *.h *.hh *.cpp *.cc *.cxx *.ipp *.inl *.tpp)

# Source text goes through CMake strings: `;`, `[` and `]` would split or
# glue list elements, so they travel as control characters.
string(ASCII 1 _semi)
string(ASCII 2 _lbr)
string(ASCII 3 _rbr)
macro(_read_escaped file out)
  file(READ "${file}" ${out})
  string(REPLACE ";" "${_semi}" ${out} "${${out}}")
  string(REPLACE "[" "${_lbr}" ${out} "${${out}}")
  string(REPLACE "]" "${_rbr}" ${out} "${${out}}")
endmacro()
macro(_unescape var)
  string(REPLACE "${_semi}" ";" ${var} "${${var}}")
  string(REPLACE "${_lbr}" "[" ${var} "${${var}}")
  string(REPLACE "${_rbr}" "]" ${var} "${${var}}")
endmacro()

# 1-based line of byte offset `pos` in `text`.
function(_line_at text pos out)
  string(SUBSTRING "${text}" 0 ${pos} _before)
  string(REGEX MATCHALL "\n" _nl "${_before}")
  list(LENGTH _nl _n)
  math(EXPR _n "${_n} + 1")
  set(${out} ${_n} PARENT_SCOPE)
endfunction()

# The files of one floor folder (relative to ROOT).
function(_floor_files floor out)
  set(_globs "")
  foreach(g ${_src_globs})
    list(APPEND _globs "${ROOT}/${floor}/${g}")
  endforeach()
  file(GLOB_RECURSE _files RELATIVE "${ROOT}" ${_globs})
  list(SORT _files)
  set(${out} ${_files} PARENT_SCOPE)
endfunction()

set(_violations 0)
macro(_violation text)
  message(NOTICE "${text}")
  math(EXPR _violations "${_violations} + 1")
endmacro()

# Every `impl*` in actors/src: prints them when `report` is true; the count in `out`.
function(_impl_occurrences report out)
  file(GLOB_RECURSE _files RELATIVE "${ROOT}" "${ROOT}/actors/src/*")
  list(SORT _files)
  set(_count 0)
  foreach(f ${_files})
    _read_escaped("${ROOT}/${f}" _text)
    string(REGEX MATCHALL "[^\n]*impl[ \t]*\\*[^\n]*" _hits "${_text}")
    set(_offset 0)
    foreach(hit ${_hits})
      string(SUBSTRING "${_text}" ${_offset} -1 _rest)
      string(FIND "${_rest}" "${hit}" _pos)
      math(EXPR _pos "${_offset} + ${_pos}")
      string(LENGTH "${hit}" _len)
      math(EXPR _offset "${_pos} + ${_len}")
      math(EXPR _count "${_count} + 1")
      if(report)
        _line_at("${_text}" ${_pos} _line)
        string(STRIP "${hit}" _shown)
        _unescape(_shown)
        message(NOTICE "${f}:${_line}: impl* in actors/src: ${_shown}")
      endif()
    endforeach()
  endforeach()
  set(${out} ${_count} PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "impl")
  _impl_occurrences(TRUE _n)
  if(_n GREATER 0)
    message(FATAL_ERROR "check_layers: ${_n} impl* occurrence(s) in actors/src (each actor should get a narrow context)")
  endif()
  message(STATUS "check_layers: no impl* in actors/src")
  return()
endif()

# Which floor provides each project header: <folder>/**/include/<header>.
foreach(floor ${_floors})
  _floor_files(${floor} _files)
  foreach(f ${_files})
    if(f MATCHES "/include/(.+)$")
      set("_provider_${CMAKE_MATCH_1}" ${floor})
    endif()
  endforeach()
endforeach()

set(_checked 0)
foreach(floor ${_floors})
  _floor_files(${floor} _files)
  foreach(f ${_files})
    math(EXPR _checked "${_checked} + 1")
    _read_escaped("${ROOT}/${f}" _text)

    # Size.
    string(REGEX MATCHALL "\n" _nl "${_text}")
    list(LENGTH _nl _lines)
    string(REGEX MATCH "[^\n]$" _unterminated "${_text}")
    if(_unterminated)
      math(EXPR _lines "${_lines} + 1")
    endif()
    if(_lines GREATER MAX_LINES)
      _violation("${f}: ${_lines} lines (over ${MAX_LINES})")
    endif()

    # Includes, each with the floor of what it names.
    get_filename_component(_dir "${ROOT}/${f}" DIRECTORY)
    string(REGEX MATCHALL "(^|\n)[ \t]*#[ \t]*include[ \t]*[<\"][^>\"\n]+[>\"]" _incs "${_text}")
    set(_offset 0)
    foreach(inc ${_incs})
      string(SUBSTRING "${_text}" ${_offset} -1 _rest)
      string(FIND "${_rest}" "${inc}" _pos)
      math(EXPR _pos "${_offset} + ${_pos}")
      string(LENGTH "${inc}" _len)
      math(EXPR _offset "${_pos} + ${_len}")
      string(REGEX MATCH "[<\"]([^>\"\n]+)[>\"]$" _m "${inc}")
      set(_hdr "${CMAKE_MATCH_1}")
      set(_target "")
      if(inc MATCHES "\"[^\"]+\"$" AND EXISTS "${_dir}/${_hdr}")
        # Quoted and found beside the including file: the folder it lands in.
        get_filename_component(_abs "${_dir}/${_hdr}" ABSOLUTE)
        file(RELATIVE_PATH _rel "${ROOT}" "${_abs}")
        if(NOT _rel MATCHES "^\\.\\.")
          string(REGEX MATCH "^[^/]+" _top "${_rel}")
          if(DEFINED _floor_${_top})
            set(_target ${_top})
          endif()
        endif()
      elseif(DEFINED "_provider_${_hdr}")
        set(_target "${_provider_${_hdr}}")
      elseif(_hdr MATCHES "^causality/([^/]+)/")
        # A project header that no folder provides (yet): by its directory.
        if(DEFINED _floor_${CMAKE_MATCH_1})
          set(_target ${CMAKE_MATCH_1})
        endif()
      endif()
      if(_target AND _floor_${_target} GREATER _floor_${floor})
        _line_at("${_text}" ${_pos} _line)
        if(inc MATCHES "^\n")
          math(EXPR _line "${_line} + 1")
        endif()
        _violation("${f}:${_line}: ${floor} includes ${_hdr} of ${_target}")
      endif()
    endforeach()
  endforeach()
endforeach()

_impl_occurrences(FALSE _impl)
if(_impl GREATER 0)
  message(STATUS "check_layers: note: ${_impl} impl* occurrence(s) in actors/src (MODE=impl lists them and fails)")
endif()
if(_violations GREATER 0)
  message(FATAL_ERROR "check_layers: ${_violations} violation(s) in ${_checked} files under ${ROOT}")
endif()
message(STATUS "check_layers: ${_checked} files, no upward include, none over ${MAX_LINES} lines")
