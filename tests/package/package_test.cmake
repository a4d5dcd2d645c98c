# cmake -P script run by ctest: install, check the layout, build and run a
# consumer, and check that an incompatible version is refused.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

foreach(f lib/cmake/causality/causalityConfig.cmake
          lib/cmake/causality/causalityConfigVersion.cmake
          lib/cmake/causality/causalityTargets.cmake
          lib/cmake/causality/FindCAF.cmake
          include/causality/model/types.hpp
          lib/libcausality_model.a)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

# The consumer builds examples/hello.cpp against the runtime and a program of
# its own against the model and observe.
set(example ${SOURCE_DIR}/examples/hello.cpp)
set(common -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${COMPILER}
    -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if(SANITIZE)
  # The installed libraries were built with -fsanitize=${SANITIZE}: their
  # consumers link the sanitizer runtimes too.
  list(APPEND common -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=${SANITIZE})
endif()
if(LAUNCHER)
  list(APPEND common -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${WORK_DIR}/consumer
    ${common} -DCAUSALITY_EXAMPLE=${example} -DREQUIRED_VERSION=${VERSION})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer)
run(${WORK_DIR}/consumer/consumer)
message(STATUS "example said: ${run_output}")
run(${WORK_DIR}/consumer/consumer_layers)
message(STATUS "consumer said: ${run_output}")
if(NOT run_output MATCHES "causality consumer ok")
  message(FATAL_ERROR "consumer output unexpected: ${run_output}")
endif()

# A version the package does not satisfy must be refused.
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer
                  -B ${WORK_DIR}/too-new ${common} -DCAUSALITY_EXAMPLE=${example} -DREQUIRED_VERSION=99.0
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
string(REGEX REPLACE "[ \n]+" " " err_flat "${err}")
if(rc EQUAL 0 OR NOT err_flat MATCHES "package \"causality\".*requested version \"99.0\"")
  message(FATAL_ERROR "find_package(causality 99.0) was not refused: ${err}")
endif()

# The package exports the layer libraries only, and leaves SPDLOG_ACTIVE_LEVEL
# to the consumer.
file(GLOB _targets ${prefix}/lib/cmake/causality/causalityTargets*.cmake)
foreach(f ${_targets})
  file(READ ${f} text)
  foreach(bad "causality::options" "SPDLOG_ACTIVE_LEVEL")
    string(FIND "${text}" "${bad}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${f} exports ${bad}")
    endif()
  endforeach()
endforeach()
file(READ ${prefix}/lib/cmake/causality/causalityTargets.cmake text)
string(REGEX MATCHALL "add_library\\(causality::[a-z_]+" exported "${text}")
string(REPLACE "add_library(" "" exported "${exported}")
message(STATUS "exported targets: ${exported}")
foreach(t ${exported})
  if(NOT t MATCHES "^causality::(model|strategies|domains|domain_server|observe|actors|runtime)$")
    message(FATAL_ERROR "exported ${t} is not a layer library")
  endif()
endforeach()

# A component the package does not have is refused.
file(MAKE_DIRECTORY ${WORK_DIR}/no-such-component)
file(WRITE ${WORK_DIR}/no-such-component/CMakeLists.txt
  "cmake_minimum_required(VERSION 3.20)\nproject(c LANGUAGES CXX)\nfind_package(causality REQUIRED COMPONENTS no_such_layer)\n")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK_DIR}/no-such-component -B ${WORK_DIR}/no-such-component/build
                  ${common} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "find_package(causality COMPONENTS no_such_layer) was not refused")
endif()

# The README's and docs/runtime.md's programs compile and run exactly as
# printed, with the README's consumer CMakeLists.txt and CMAKE_PREFIX_PATH.
file(READ ${SOURCE_DIR}/README.md readme)
string(REGEX MATCHALL "```cmake\n[^`]*```" cmake_blocks "${readme}")
list(LENGTH cmake_blocks n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "README.md: expected one cmake block (the consumer CMakeLists.txt), found ${n}")
endif()
string(REGEX REPLACE "^```cmake\n" "" consumer_cmake "${cmake_blocks}")
string(REGEX REPLACE "```$" "" consumer_cmake "${consumer_cmake}")
# The README says how to point CMake at the prefix.
string(FIND "${readme}" "-DCMAKE_PREFIX_PATH=" at)
if(at EQUAL -1)
  message(FATAL_ERROR "README.md does not show CMAKE_PREFIX_PATH")
endif()
set(programs 0)
foreach(doc README.md docs/runtime.md)
  file(READ ${SOURCE_DIR}/${doc} text)
  # A ';' would split the CMake list: protect it while extracting.
  string(REPLACE ";" "<SEMI>" text "${text}")
  string(REGEX MATCHALL "```cpp\n[^`]*```" blocks "${text}")
  set(i 0)
  foreach(b ${blocks})
    string(REPLACE "<SEMI>" ";" b "${b}")
    string(REGEX REPLACE "^```cpp\n" "" code "${b}")
    string(REGEX REPLACE "```$" "" code "${code}")
    math(EXPR i "${i} + 1")
    if(NOT code MATCHES "int main\\(")
      continue()
    endif()
    string(MAKE_C_IDENTIFIER "${doc}_${i}" name)
    set(dir ${WORK_DIR}/doc-programs/${name})
    file(MAKE_DIRECTORY ${dir})
    file(WRITE ${dir}/hello.cpp "${code}")
    file(WRITE ${dir}/CMakeLists.txt "${consumer_cmake}")
    run(${CMAKE_COMMAND} -S ${dir} -B ${dir}/build ${common})
    run(${CMAKE_COMMAND} --build ${dir}/build)
    run(${dir}/build/hello)
    if(NOT run_output STREQUAL "hello, world!\n")
      message(FATAL_ERROR "${doc} block ${i}: printed '${run_output}', not 'hello, world!'")
    endif()
    math(EXPR programs "${programs} + 1")
  endforeach()
endforeach()
if(programs LESS 2)
  message(FATAL_ERROR "expected the hello world of README.md and docs/runtime.md, compiled ${programs}")
endif()

# Commands in the README write files only under demo-out/ or a temporary folder.
string(REGEX MATCHALL "```sh\n[^`]*```" sh_blocks "${readme}")
foreach(b ${sh_blocks})
  string(REGEX MATCHALL "(--gantt|--dot|--metrics-out|--prefix|>) +[^ \n]+" outs "${b}")
  foreach(o ${outs})
    string(REGEX REPLACE "^(--gantt|--dot|--metrics-out|--prefix|>) +" "" path "${o}")
    if(NOT path MATCHES "^(demo-out/|/tmp/)")
      message(FATAL_ERROR "README.md writes '${path}' outside demo-out/ and /tmp: ${o}")
    endif()
  endforeach()
endforeach()
message(STATUS "README: ${programs} programs compiled and ran; outputs under demo-out/ or /tmp")
