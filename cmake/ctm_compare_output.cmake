# Runs PROGRAM (with ARGS, a ;-list) in WORKDIR and compares its stdout with the file EXPECTED.
# Used by the example and CLI golden tests: a difference fails with both texts shown.
if(NOT DEFINED WORKDIR)
  set(WORKDIR ".")
endif()
execute_process(COMMAND ${PROGRAM} ${ARGS}
  WORKING_DIRECTORY "${WORKDIR}"
  OUTPUT_VARIABLE actual
  ERROR_VARIABLE errors
  RESULT_VARIABLE status)
if(DEFINED EXPECTED_STATUS)
  if(NOT status EQUAL EXPECTED_STATUS)
    message(FATAL_ERROR "${PROGRAM} exited with ${status}, expected ${EXPECTED_STATUS}\n${errors}")
  endif()
elseif(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}\n${errors}")
endif()
if(UPDATE_GOLDEN)
  file(WRITE "${EXPECTED}" "${actual}")
  return()
endif()
file(READ "${EXPECTED}" expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "output differs from ${EXPECTED}\n--- expected\n${expected}\n--- actual\n${actual}")
endif()
