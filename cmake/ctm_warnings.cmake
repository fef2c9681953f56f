# Per-target build helpers. Flags are applied PRIVATE, so they never reach consumers of ctm::ctm
# (an INTERFACE target would leak into the export set of a static library).

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  set(CTM_WARNING_FLAGS
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast
    -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-align)
  # Not -Wnull-dereference: GCC 12 reports false positives inside std::variant and std::string at
  # -O2, which would drown real warnings in release builds.
  set(CTM_WERROR_FLAG -Werror)
  # GCC 12 warns -Wrestrict inside libstdc++'s own `const char* + std::string&&` at -O2 and above
  # (GCC bug 105329): false positives on correct code, so off for GCC before 13.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    list(APPEND CTM_WARNING_FLAGS -Wno-restrict)
  endif()
elseif(MSVC)
  set(CTM_WARNING_FLAGS /W4)
  set(CTM_WERROR_FLAG /WX)
endif()

# ctm_enable_warnings(target): the project's warning set on one of our own targets.
function(ctm_enable_warnings target)
  target_compile_options(${target} PRIVATE ${CTM_WARNING_FLAGS})
  if(CTM_WERROR)
    target_compile_options(${target} PRIVATE ${CTM_WERROR_FLAG})
  endif()
endfunction()

# ctm_enable_sanitizers(target): ASan + UBSan when CTM_SANITIZE is ON.
function(ctm_enable_sanitizers target)
  if(CTM_SANITIZE)
    set(_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_compile_options(${target} PRIVATE ${_flags})
    target_link_options(${target} PRIVATE ${_flags})
  endif()
endfunction()

# ctm_target_defaults(target): warnings and sanitizers, the usual pair for our own targets.
function(ctm_target_defaults target)
  ctm_enable_warnings(${target})
  ctm_enable_sanitizers(${target})
endfunction()
