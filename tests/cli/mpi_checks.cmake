# Checks for ctm-mpi against the single-process ctm tool (tests/cli/CMakeLists.txt).
#   MODE=match        the bundled patients as JSON Lines (with a malformed line and a blank line
#                     in the middle when MALFORMED is set): ctm-mpi match under NP=1 and NP=2 must
#                     write exactly what `ctm match --format json` prints, with the same status.
#                     With EXTRA=--status-only, the same for the status-only output.
#   MODE=two_files    the cohort split into two files (a malformed line in the second): ctm-mpi
#                     over both files must write what `ctm match --patients DIR` prints.
#   MODE=feasibility  ctm-mpi feasibility under 2 ranks prints what `ctm feasibility` prints, in
#                     JSON and text.
#   MODE=missing      a missing patients file: an error naming the rank and the file, a failed
#                     status and no output file.
# PROGRAM is the ctm tool, MPI_PROGRAM ctm-mpi, MPIEXEC the launcher with its flags (joined with
# "@@"), WORKDIR the source tree, WORK a scratch directory, ARGS (joined with "@@") the options
# shared by every run.
include("${CMAKE_CURRENT_LIST_DIR}/jsonl_cohort.cmake")
string(REPLACE "@@" ";" ARGS "${ARGS}")
string(REPLACE "@@" ";" MPIEXEC "${MPIEXEC}")
string(REPLACE "@@" ";" EXTRA "${EXTRA}")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# Writes the bundled patients as JSON Lines: all to <whole>, or the first <split> to <whole> and
# the rest to <second>; <bad> (if not empty) goes after patient number <bad_after>.
function(write_cohort whole second split bad bad_after)
  ctm_patient_files(files "${WORKDIR}/data/patients")
  set(i 0)
  set(target "${whole}")
  file(WRITE "${whole}" "")
  foreach(f IN LISTS files)
    if(split GREATER 0 AND i EQUAL split)
      set(target "${second}")
      file(WRITE "${second}" "")
    endif()
    ctm_jsonl_line(line "${f}")
    file(APPEND "${target}" "${line}")
    math(EXPR i "${i} + 1")
    if(i EQUAL bad_after)
      file(APPEND "${target}" "${bad}")
    endif()
  endforeach()
endfunction()

# Runs ctm-mpi on <np> ranks; sets out, status and err in the caller.
macro(run_mpi np)
  ctm_run(out status err COMMAND ${MPIEXEC} -np ${np} ${MPI_PROGRAM} ${ARGN})
endmacro()

set(bad_line "{\"schema_version\": 1, \"id\": \"ZZPHI-4242\", \"birth_date\": \"1951-0\n   \n")
if(MODE STREQUAL "match")
  set(bad "")
  set(expected_status 0)
  if(MALFORMED)
    set(bad "${bad_line}")
    set(expected_status 1)
  endif()
  write_cohort("${WORK}/cohort.jsonl" "" 0 "${bad}" 8)
  ctm_run(batch status err COMMAND ${PROGRAM} match --patients "${WORK}/cohort.jsonl" --format json
    ${EXTRA} ${ARGS})
  if(NOT status EQUAL expected_status)
    message(FATAL_ERROR "ctm match: exit status ${status}, expected ${expected_status}\n${err}")
  endif()
  foreach(np 1 2)
    # Small blocks, so that each rank takes several rounds and lines straddle block edges.
    run_mpi(${np} match --patients "${WORK}/cohort.jsonl" --out "${WORK}/out${np}.jsonl"
      --block-bytes 7000 ${EXTRA} ${ARGS})
    if(NOT status EQUAL expected_status)
      message(FATAL_ERROR "ctm-mpi on ${np} ranks: exit status ${status}\n${out}\n${err}")
    endif()
    if(NOT err MATCHES "ctm-mpi: matched 2[78] patients \\([01] unreadable\\) on ${np} rank")
      message(FATAL_ERROR "ctm-mpi on ${np} ranks: no run statistics on stderr\n${err}")
    endif()
    if(MALFORMED AND NOT err MATCHES "rank [01]: patient record 9 of [^\n]*cohort.jsonl \\(line 9\\)")
      message(FATAL_ERROR "ctm-mpi on ${np} ranks: the malformed line is not reported\n${err}")
    endif()
    file(READ "${WORK}/out${np}.jsonl" written)
    ctm_expect_same("ctm-mpi on ${np} ranks" "${batch}" "${written}")
    if(EXISTS "${WORK}/out${np}.jsonl.partial")
      message(FATAL_ERROR "ctm-mpi on ${np} ranks left ${WORK}/out${np}.jsonl.partial")
    endif()
  endforeach()

elseif(MODE STREQUAL "two_files")
  file(MAKE_DIRECTORY "${WORK}/cohort")
  write_cohort("${WORK}/cohort/a.jsonl" "${WORK}/cohort/b.jsonl" 11 "${bad_line}" 14)
  ctm_run(batch status err COMMAND ${PROGRAM} match --patients "${WORK}/cohort" --format json
    ${ARGS})
  if(NOT status EQUAL 1)
    message(FATAL_ERROR "ctm match: exit status ${status}, expected 1\n${err}")
  endif()
  if(NOT batch MATCHES "record 15 of [^\n]*b.jsonl \\(line 4\\)")
    message(FATAL_ERROR "the malformed record is not where the test expects it:\n${batch}")
  endif()
  run_mpi(2 match --patients "${WORK}/cohort/a.jsonl" "${WORK}/cohort/b.jsonl"
    --out "${WORK}/out.jsonl" --block-bytes 30000 ${ARGS})
  if(NOT status EQUAL 1)
    message(FATAL_ERROR "ctm-mpi: exit status ${status}, expected 1\n${out}\n${err}")
  endif()
  file(READ "${WORK}/out.jsonl" written)
  ctm_expect_same("ctm-mpi over two files" "${batch}" "${written}")

elseif(MODE STREQUAL "feasibility")
  write_cohort("${WORK}/cohort.jsonl" "" 0 "" 0)
  foreach(format json text)
    ctm_run(single status err COMMAND ${PROGRAM} feasibility --patients "${WORK}/cohort.jsonl"
      --format ${format} ${ARGS})
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "ctm feasibility: exit status ${status}\n${err}")
    endif()
    run_mpi(2 feasibility --patients "${WORK}/cohort.jsonl" --format ${format} --block-bytes 9000
      ${ARGS})
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "ctm-mpi feasibility: exit status ${status}\n${err}")
    endif()
    ctm_expect_same("ctm-mpi feasibility --format ${format}" "${single}" "${out}")
  endforeach()

elseif(MODE STREQUAL "missing")
  write_cohort("${WORK}/cohort.jsonl" "" 0 "" 0)
  run_mpi(2 match --patients "${WORK}/cohort.jsonl" "${WORK}/no-such.jsonl"
    --out "${WORK}/out.jsonl" ${ARGS})
  if(status EQUAL 0)
    message(FATAL_ERROR "ctm-mpi succeeded on a missing file\n${err}")
  endif()
  if(NOT err MATCHES "rank 0 of 2 failed on patients [^\n]*no-such.jsonl \\(the whole file\\)")
    message(FATAL_ERROR "the error does not name the rank and the file:\n${err}")
  endif()
  if(EXISTS "${WORK}/out.jsonl")
    message(FATAL_ERROR "a failed run left ${WORK}/out.jsonl")
  endif()
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
