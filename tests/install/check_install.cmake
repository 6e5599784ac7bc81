# SPDX-License-Identifier: MIT
# Install the build tree into a scratch prefix, build examples/cpp against it with
# find_package(pcapframe), run it on the sample and check its first line.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/cpp -B ${WORK_DIR}/example -G Ninja
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the example with find_package(pcapframe) failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/example
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the example failed:\n${out}")
endif()
execute_process(COMMAND ${WORK_DIR}/example/count_dns ${SOURCE_DIR}/data/sample.pcap
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
string(REGEX MATCH "^([0-9]+) queries, ([0-9]+) responses" line "${out}")
if(NOT rc EQUAL 0 OR NOT line OR CMAKE_MATCH_1 EQUAL 0)
  message(FATAL_ERROR "the installed example printed:\n${out}")
endif()
message(STATUS "installed library works: ${line}")
