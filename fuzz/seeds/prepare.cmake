# SPDX-License-Identifier: MIT
# ctest fixture for the fuzz smoke tests: fresh seed corpora from the sample capture, and an
# empty working corpus per target (cmake -DMAKE_SEEDS= -DSAMPLE= -DSEEDS= -DSMOKE= -DTARGETS= -P).
file(REMOVE_RECURSE ${SEEDS} ${SMOKE})
execute_process(COMMAND ${MAKE_SEEDS} ${SAMPLE} ${SEEDS} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "make_seeds failed: ${rc}")
endif()
foreach(target IN LISTS TARGETS)
  file(MAKE_DIRECTORY ${SMOKE}/${target})
endforeach()
