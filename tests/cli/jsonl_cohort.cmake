# Helpers for the tests that need a cohort as JSON Lines (stream_checks.cmake, mpi_checks.cmake).

# ctm_patient_files(<out-var> <dir>): the patient documents (*.json) below <dir>, in path order.
function(ctm_patient_files out dir)
  file(GLOB_RECURSE files "${dir}/*.json")
  list(SORT files)
  set(${out} "${files}" PARENT_SCOPE)
endfunction()

# ctm_jsonl_line(<out-var> <file>): the JSON document in <file> on one line, with a final '\n'.
# Pretty-printed JSON has no raw line break inside a string, so removing each line break with the
# indentation after it keeps the document intact.
function(ctm_jsonl_line out file)
  file(READ "${file}" doc)
  string(REGEX REPLACE "\r?\n[ \t]*" "" doc "${doc}")
  set(${out} "${doc}\n" PARENT_SCOPE)
endfunction()

# ctm_run(<out-var> <status-var> <err-var> [INPUT file] COMMAND ...): runs a command in WORKDIR.
function(ctm_run out status err)
  cmake_parse_arguments(ARG "" "INPUT" "COMMAND" ${ARGN})
  set(input)
  if(DEFINED ARG_INPUT)
    set(input INPUT_FILE "${ARG_INPUT}")
  endif()
  execute_process(COMMAND ${ARG_COMMAND} ${input}
    WORKING_DIRECTORY "${WORKDIR}"
    OUTPUT_VARIABLE o ERROR_VARIABLE e RESULT_VARIABLE s)
  set(${out} "${o}" PARENT_SCOPE)
  set(${status} "${s}" PARENT_SCOPE)
  set(${err} "${e}" PARENT_SCOPE)
endfunction()

# ctm_expect_same(<what> <expected> <actual>): fails with both texts when they differ.
function(ctm_expect_same what expected actual)
  if(NOT expected STREQUAL actual)
    file(WRITE "${WORK}/expected.txt" "${expected}")
    file(WRITE "${WORK}/actual.txt" "${actual}")
    message(FATAL_ERROR "${what}: output differs (see ${WORK}/expected.txt and ${WORK}/actual.txt)")
  endif()
endfunction()
