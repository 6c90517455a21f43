# Compares the built liblien.so with the committed ABI description (abi/lien.abi) using abidiff.
# Fails on an incompatible change (abidiff bit 8: a removed function, a changed struct or signature) unless the
# SOVERSION was bumped (the library's soname differs from the reference's); a compatible change (bit 4: an
# added function) passes with a note to regenerate the file. abi/README.md says how.
# usage: cmake -DABIDIFF=.. -DLIBRARY=.. -DSONAME=.. -DREFERENCE=.. -DSUPPRESSIONS=.. -DHEADERS=.. [-DBREAK=<function>]
#        -P check_abi.cmake   (BREAK: pretend the reference had <function>_removed too, which must fail)
file(READ "${REFERENCE}" ref)
if(DEFINED BREAK)
  # Self-test: a reference that still has a function the library lost must be refused.
  string(REPLACE "'${BREAK}'" "'${BREAK}_removed'" broken "${ref}")
  set(REFERENCE "${CMAKE_CURRENT_BINARY_DIR}/lien-broken.abi")
  file(WRITE "${REFERENCE}" "${broken}")
endif()
string(REGEX MATCH "soname='([^']*)'" _ "${ref}")
set(ref_soname "${CMAKE_MATCH_1}")
execute_process(
  COMMAND ${ABIDIFF} --header-file2 ${HEADERS}/lien.h --drop-private-types --suppressions ${SUPPRESSIONS} ${REFERENCE} ${LIBRARY}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "abidiff did not run: ${rc}")
endif()
math(EXPR tool_error "${rc} & 3")
math(EXPR incompatible "${rc} & 8")
math(EXPR changed "${rc} & 4")
if(tool_error)
  message(FATAL_ERROR "abidiff failed (status ${rc})")
endif()
if(incompatible)
  if(NOT ref_soname STREQUAL SONAME)
    message(STATUS "incompatible ABI change with a new soname (${ref_soname} -> ${SONAME}): regenerate abi/lien.abi")
    return()
  endif()
  message(FATAL_ERROR "incompatible ABI change in ${LIBRARY} against ${REFERENCE} with the same soname ${SONAME}: "
                      "undo it, or bump LIEN_ABI_VERSION in include/lien.h and regenerate abi/lien.abi")
endif()
if(changed)
  message(STATUS "compatible ABI change (additions): regenerate abi/lien.abi to record them")
endif()
message(STATUS "ABI of ${SONAME} matches abi/lien.abi")
