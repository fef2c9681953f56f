# Checks for `ctm match` that need more than one run or a scan of the log (tests/cli/CMakeLists.txt).
#   MODE=determinism  runs ARGS with --threads 1 and --threads 2, twice, and requires
#                     byte-identical stdout (and the same as COMPARE_WITH's, when given).
#   MODE=no_phi       runs ARGS at --log-level trace and requires that none of FORBIDDEN (a list
#                     joined with "@@") appears on stderr, and that the log is not empty.
# ARGS is a list joined with "@@".
string(REPLACE "@@" ";" ARGS "${ARGS}")
if(MODE STREQUAL "determinism")
  set(outputs)
  foreach(threads 1 2 1 2)
    execute_process(COMMAND ${PROGRAM} ${ARGS} --threads ${threads}
      WORKING_DIRECTORY "${WORKDIR}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
    if(NOT status EQUAL EXPECTED_STATUS)
      message(FATAL_ERROR "exit status ${status}, expected ${EXPECTED_STATUS}\n${err}")
    endif()
    if(out STREQUAL "")
      message(FATAL_ERROR "no output\n${err}")
    endif()
    list(APPEND outputs "${out}")
    if(DEFINED first AND NOT out STREQUAL first)
      message(FATAL_ERROR "output differs with --threads ${threads}:\n${first}\n---\n${out}")
    endif()
    set(first "${out}")
  endforeach()
  # COMPARE_WITH: other arguments that must give the same bytes.
  if(DEFINED COMPARE_WITH)
    string(REPLACE "@@" ";" COMPARE_WITH "${COMPARE_WITH}")
    execute_process(COMMAND ${PROGRAM} ${COMPARE_WITH}
      WORKING_DIRECTORY "${WORKDIR}" OUTPUT_VARIABLE out RESULT_VARIABLE status)
    if(NOT out STREQUAL first)
      message(FATAL_ERROR "output differs from ${COMPARE_WITH}:\n${first}\n---\n${out}")
    endif()
  endif()
elseif(MODE STREQUAL "no_phi")
  string(REPLACE "@@" ";" FORBIDDEN "${FORBIDDEN}")
  execute_process(COMMAND ${PROGRAM} --log-level trace ${ARGS}
    WORKING_DIRECTORY "${WORKDIR}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "exit status ${status}\n${err}")
  endif()
  if(err STREQUAL "")
    message(FATAL_ERROR "the trace log is empty; the test would prove nothing")
  endif()
  foreach(value IN LISTS FORBIDDEN)
    string(FIND "${err}" "${value}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "the log contains the patient value '${value}':\n${err}")
    endif()
  endforeach()
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
