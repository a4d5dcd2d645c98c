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

# The consumer builds examples/hello.cpp when the runtime exists, else a
# model (and observe) program of its own.
set(example "")
if(EXISTS ${SOURCE_DIR}/examples/hello.cpp)
  set(example ${SOURCE_DIR}/examples/hello.cpp)
endif()
set(common -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${COMPILER}
    -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if(LAUNCHER)
  list(APPEND common -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${WORK_DIR}/consumer
    ${common} -DCAUSALITY_EXAMPLE=${example} -DREQUIRED_VERSION=${VERSION})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer)
run(${WORK_DIR}/consumer/consumer)
message(STATUS "consumer said: ${run_output}")
if(NOT EXISTS ${WORK_DIR}/consumer/built_from_example AND NOT run_output MATCHES "causality consumer ok")
  message(FATAL_ERROR "consumer output unexpected: ${run_output}")
endif()

# A version the package does not satisfy must be refused.
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer
                  -B ${WORK_DIR}/too-new ${common} -DREQUIRED_VERSION=99.0
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "causality")
  message(FATAL_ERROR "find_package(causality 99.0) was not refused: ${err}")
endif()
