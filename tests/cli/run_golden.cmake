# SPDX-License-Identifier: MIT
# Run one CLI golden case: cases/<CASE>.cmd is a shell script run in a fresh directory that
# holds `sample.pcap` (a link to data/sample.pcap), with the built `pcapframe` first on PATH
# and SAMPLE=sample.pcap. Its stdout, stderr and exit code must equal cases/<CASE>.out.
# UPDATE_GOLDEN=1 in the environment rewrites the .out file instead.
#
#   cmake -DCASE=<name> -DCASES_DIR=<dir> -DPCAPFRAME=<binary> -DSAMPLE=<pcap>
#         -DWORK_DIR=<scratch> -P run_golden.cmake
foreach(var CASE CASES_DIR PCAPFRAME SAMPLE WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_golden.cmake: -D${var}=... is required")
  endif()
endforeach()

set(cmd_file "${CASES_DIR}/${CASE}.cmd")
set(out_file "${CASES_DIR}/${CASE}.out")
set(work "${WORK_DIR}/${CASE}")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")
file(CREATE_LINK "${SAMPLE}" "${work}/sample.pcap" SYMBOLIC COPY_ON_ERROR)

get_filename_component(bin_dir "${PCAPFRAME}" DIRECTORY)
get_filename_component(bin_name "${PCAPFRAME}" NAME)
if(NOT bin_name STREQUAL "pcapframe")
  message(FATAL_ERROR "expected a binary named pcapframe, got ${PCAPFRAME}")
endif()
# Invoked as plain `pcapframe`, so usage lines do not show the build directory.
set(ENV{PATH} "${bin_dir}:$ENV{PATH}")
set(ENV{SAMPLE} "sample.pcap")
set(ENV{LC_ALL} "C")
set(ENV{TZ} "America/New_York")  # cases pass --utc; a case that forgets shows a -4/-5 h shift
set(ENV{COLUMNS} "80")

file(READ "${cmd_file}" script)
execute_process(COMMAND sh -e -c "${script}"
                WORKING_DIRECTORY "${work}"
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err
                RESULT_VARIABLE rc)

set(actual "${out}")
if(NOT out STREQUAL "" AND NOT out MATCHES "\n$")
  string(APPEND actual "\n[no newline at the end of stdout]\n")
endif()
if(NOT err STREQUAL "")
  string(APPEND actual "[stderr]\n${err}")
  if(NOT err MATCHES "\n$")
    string(APPEND actual "\n")
  endif()
endif()
string(APPEND actual "[exit ${rc}]\n")

if("$ENV{UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE "${out_file}" "${actual}")
  message(STATUS "updated ${out_file}")
  return()
endif()

if(NOT EXISTS "${out_file}")
  file(WRITE "${work}/actual.out" "${actual}")
  message(FATAL_ERROR "${out_file} does not exist; run with UPDATE_GOLDEN=1 to create it.\n"
                      "Output was:\n${actual}")
endif()
file(READ "${out_file}" expected)
if(NOT actual STREQUAL expected)
  file(WRITE "${work}/actual.out" "${actual}")
  # Straight to our stdout, so that ctest --output-on-failure shows the diff unwrapped.
  execute_process(COMMAND diff -u "${out_file}" "${work}/actual.out")
  message(FATAL_ERROR "${CASE}: the output differs from cases/${CASE}.out (diff above); "
                      "UPDATE_GOLDEN=1 rewrites it, to be reviewed before committing.")
endif()
