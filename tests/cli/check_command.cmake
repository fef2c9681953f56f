# Runs PROGRAM with ARGS (a ;-list) in WORKDIR and checks what it did. Used by the CLI tests.
#   EXPECTED_STATUS  exit code (default 0)
#   STDOUT_REGEX     a regular expression stdout must match
#   STDERR_REGEX     a regular expression stderr must match
#   JSON_KEYS / JSON_VALUE  stdout must be valid JSON and the value at JSON_KEYS (member names
#                    and array indices) must equal JSON_VALUE
# ARGS and JSON_KEYS are lists joined with "@@" (tests/cli/CMakeLists.txt).
string(REPLACE "@@" ";" ARGS "${ARGS}")
if(DEFINED JSON_KEYS)
  string(REPLACE "@@" ";" JSON_KEYS "${JSON_KEYS}")
endif()
if(NOT DEFINED WORKDIR)
  set(WORKDIR ".")
endif()
if(NOT DEFINED EXPECTED_STATUS)
  set(EXPECTED_STATUS 0)
endif()
execute_process(COMMAND ${PROGRAM} ${ARGS}
  WORKING_DIRECTORY "${WORKDIR}"
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE status)
set(shown "--- stdout\n${out}\n--- stderr\n${err}")
if(NOT status EQUAL EXPECTED_STATUS)
  message(FATAL_ERROR "exit status ${status}, expected ${EXPECTED_STATUS}\n${shown}")
endif()
if(DEFINED STDOUT_REGEX AND NOT out MATCHES "${STDOUT_REGEX}")
  message(FATAL_ERROR "stdout does not match '${STDOUT_REGEX}'\n${shown}")
endif()
if(DEFINED STDERR_REGEX AND NOT err MATCHES "${STDERR_REGEX}")
  message(FATAL_ERROR "stderr does not match '${STDERR_REGEX}'\n${shown}")
endif()
if(DEFINED JSON_KEYS)
  string(JSON value ERROR_VARIABLE json_error GET "${out}" ${JSON_KEYS})
  if(json_error)
    message(FATAL_ERROR "stdout is not the expected JSON: ${json_error}\n${shown}")
  endif()
  if(NOT value STREQUAL JSON_VALUE)
    message(FATAL_ERROR "JSON ${JSON_KEYS} is '${value}', expected '${JSON_VALUE}'\n${shown}")
  endif()
endif()
