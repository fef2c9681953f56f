# ctm_embed_file(OUTPUT <cpp> SYMBOL <name> INPUT <file>)
#
# Generates a translation unit that defines
#   namespace ctm::detail { extern const std::string_view <name>; }
# holding the bytes of INPUT, so the library ships its default data inside the binary and needs no
# install path at run time. Regenerated whenever INPUT changes.
set(_ctm_embed_script "${CMAKE_CURRENT_LIST_DIR}/ctm_embed_run.cmake")

function(ctm_embed_file)
  cmake_parse_arguments(ARG "" "OUTPUT;SYMBOL;INPUT" "" ${ARGN})
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    COMMAND ${CMAKE_COMMAND} -DINPUT=${ARG_INPUT} -DOUTPUT=${ARG_OUTPUT} -DSYMBOL=${ARG_SYMBOL}
            -P "${_ctm_embed_script}"
    DEPENDS "${ARG_INPUT}" "${_ctm_embed_script}"
    COMMENT "Embedding ${ARG_SYMBOL}"
    VERBATIM)
endfunction()
