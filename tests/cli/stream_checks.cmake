# Checks for `ctm match --stream` (tests/cli/CMakeLists.txt).
#   MODE=chunks     the bundled patients as JSON Lines, streamed in three pieces (each piece a run
#                   of its own, outputs concatenated) and whole with --chunk 1, must equal the
#                   batch output of `ctm match --patients cohort.jsonl --format json` byte for byte.
#                   With EXTRA=--status-only, the same for the status-only output.
#   MODE=malformed  a malformed line between two patients gives one error line naming its line,
#                   with no patient value, the stream goes on, and the exit status is 1.
#   MODE=empty      no input: no output, exit status 0.
# PROGRAM is the ctm tool, WORKDIR the source tree, WORK a scratch directory, ARGS (joined with
# "@@") the match options shared by every run.
include("${CMAKE_CURRENT_LIST_DIR}/jsonl_cohort.cmake")
string(REPLACE "@@" ";" ARGS "${ARGS}")
string(REPLACE "@@" ";" EXTRA "${EXTRA}")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

if(MODE STREQUAL "chunks")
  ctm_patient_files(files "${WORKDIR}/data/patients")
  list(LENGTH files count)
  if(count LESS 6)
    message(FATAL_ERROR "expected the bundled patients in ${WORKDIR}/data/patients")
  endif()
  # Three uneven pieces: the first 5 patients, the next 9, the rest.
  set(whole "")
  set(piece 1)
  set(i 0)
  foreach(f IN LISTS files)
    ctm_jsonl_line(line "${f}")
    string(APPEND whole "${line}")
    file(APPEND "${WORK}/piece${piece}.jsonl" "${line}")
    math(EXPR i "${i} + 1")
    if(i EQUAL 5 OR i EQUAL 14)
      math(EXPR piece "${piece} + 1")
    endif()
  endforeach()
  file(WRITE "${WORK}/cohort.jsonl" "${whole}")

  ctm_run(batch status err COMMAND ${PROGRAM} match --patients "${WORK}/cohort.jsonl" --format json
    ${EXTRA} ${ARGS})
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "batch run: exit status ${status}\n${err}")
  endif()
  string(REGEX MATCHALL "\n" newlines "${batch}")
  list(LENGTH newlines lines)
  if(NOT lines EQUAL count)
    message(FATAL_ERROR "batch run: ${lines} result lines for ${count} patients")
  endif()

  set(streamed "")
  foreach(p 1 2 3)
    ctm_run(out status err INPUT "${WORK}/piece${p}.jsonl"
      COMMAND ${PROGRAM} match --stream --chunk 4 ${EXTRA} ${ARGS})
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "stream of piece ${p}: exit status ${status}\n${err}")
    endif()
    string(APPEND streamed "${out}")
  endforeach()
  ctm_expect_same("three streamed pieces against the batch" "${batch}" "${streamed}")

  ctm_run(out status err INPUT "${WORK}/cohort.jsonl"
    COMMAND ${PROGRAM} match --stream --chunk 1 --threads 2 ${EXTRA} ${ARGS})
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "stream with --chunk 1: exit status ${status}\n${err}")
  endif()
  ctm_expect_same("the whole cohort streamed a line at a time" "${batch}" "${out}")

elseif(MODE STREQUAL "malformed")
  ctm_jsonl_line(first "${WORKDIR}/data/patients/syn_mm_001_myeloma.json")
  ctm_jsonl_line(last "${WORKDIR}/data/patients/syn_nsclc_004_egfr_lung.json")
  file(WRITE "${WORK}/two.jsonl" "${first}${last}")
  ctm_run(batch status err COMMAND ${PROGRAM} match --patients "${WORK}/two.jsonl" --format json
    ${ARGS})
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "batch run: exit status ${status}\n${err}")
  endif()
  # Line 2 is cut short and holds a distinctive value; line 3 is blank (skipped).
  file(WRITE "${WORK}/broken.jsonl"
    "${first}{\"schema_version\": 1, \"id\": \"ZZPHI-4242\", \"birth_date\": \"1951-0\n\n${last}")
  ctm_run(out status err INPUT "${WORK}/broken.jsonl"
    COMMAND ${PROGRAM} match --stream --chunk 2 ${ARGS})
  if(NOT status EQUAL 1)
    message(FATAL_ERROR "exit status ${status}, expected 1\n${out}\n${err}")
  endif()
  string(FIND "${batch}" "\n" cut)
  math(EXPR cut "${cut} + 1")
  string(SUBSTRING "${batch}" 0 ${cut} batch_first)
  string(SUBSTRING "${batch}" ${cut} -1 batch_last)
  set(error_line "{\"patient_id\": \"record 2 of <stdin> (line 2)\", \"error\": {\"code\": \"ctm.io.json_syntax.201\", \"message\": \"[ctm.io.json_syntax.201] <stdin>:2:")
  string(FIND "${out}" "${batch_first}${error_line}" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "the first result and the error line are not as expected:\n${out}")
  endif()
  string(LENGTH "${out}" n)
  string(LENGTH "${batch_last}" m)
  math(EXPR tail "${n} - ${m}")
  string(SUBSTRING "${out}" ${tail} -1 out_last)
  ctm_expect_same("the patient after the malformed line" "${batch_last}" "${out_last}")
  string(REGEX MATCHALL "\n" newlines "${out}")
  list(LENGTH newlines lines)
  if(NOT lines EQUAL 3)
    message(FATAL_ERROR "${lines} output lines for 3 non-blank input lines:\n${out}")
  endif()
  foreach(value ZZPHI-4242 1951-0)
    string(FIND "${out}${err}" "${value}" leak)
    if(NOT leak EQUAL -1)
      message(FATAL_ERROR "the output names the patient value '${value}':\n${out}\n${err}")
    endif()
  endforeach()
  if(NOT err MATCHES "patient record 2 of <stdin> \\(line 2\\)")
    message(FATAL_ERROR "stderr does not name the line:\n${err}")
  endif()

elseif(MODE STREQUAL "empty")
  file(WRITE "${WORK}/empty.jsonl" "")
  ctm_run(out status err INPUT "${WORK}/empty.jsonl" COMMAND ${PROGRAM} match --stream ${ARGS})
  if(NOT status EQUAL 0 OR NOT out STREQUAL "")
    message(FATAL_ERROR "empty input: exit status ${status}, output '${out}'\n${err}")
  endif()
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
