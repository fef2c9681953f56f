# Reads the version from include/ctm/version.hpp, the only place it is written.
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/../include/ctm/version.hpp" _ctm_version_lines
     REGEX "^#define CTM_VERSION_(MAJOR|MINOR|PATCH) [0-9]+$")
foreach(_part MAJOR MINOR PATCH)
  string(REGEX MATCH "CTM_VERSION_${_part} ([0-9]+)" _ "${_ctm_version_lines}")
  set(CTM_VERSION_${_part} "${CMAKE_MATCH_1}")
  if(NOT CTM_VERSION_${_part} MATCHES "^[0-9]+$")
    message(FATAL_ERROR "ctm: cannot read CTM_VERSION_${_part} from include/ctm/version.hpp")
  endif()
endforeach()
set(CTM_VERSION "${CTM_VERSION_MAJOR}.${CTM_VERSION_MINOR}.${CTM_VERSION_PATCH}")
