# Compares the built liblien.so with the committed ABI description (abi/lien.abi) using abidiff. Fails on an
# incompatible change unless the SOVERSION was bumped (the library's soname differs from the reference's):
# abidiff's bit 8 (a removed function or variable), or any function or variable reported as *changed* (a
# struct member moved, retyped or removed, an enum value renumbered, a signature changed: abidiff reports those
# with bit 4 only). Passes with a note on additions (new functions; members appended at the end of a versioned
# `*_options` / `*_columns` struct, see suppressions.ini). abi/README.md says how to regenerate the file.
# usage: cmake -DABIDIFF=.. -DLIBRARY=.. -DSONAME=.. -DREFERENCE=.. -DSUPPRESSIONS=.. [-DHEADERS=.. (unused)]
#        [-DBREAK=<function> | -DBREAK_MEMBER=<struct>] -P check_abi.cmake
# Self-tests (each must fail): BREAK pretends the reference had <function>_removed too; BREAK_MEMBER moves the
# second data member of <struct> in the reference by 32 bits.
file(READ "${REFERENCE}" ref)
if(DEFINED BREAK)
  # Self-test: a reference that still has a function the library lost must be refused.
  string(REPLACE "'${BREAK}'" "'${BREAK}_removed'" broken "${ref}")
  set(REFERENCE "${CMAKE_CURRENT_BINARY_DIR}/lien-broken.abi")
  file(WRITE "${REFERENCE}" "${broken}")
elseif(DEFINED BREAK_MEMBER)
  # Self-test: a struct whose layout differs from the reference's must be refused.
  string(FIND "${ref}" "<class-decl name='${BREAK_MEMBER}' size-in-bits=" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no full definition of struct ${BREAK_MEMBER} in ${REFERENCE} (regenerate it: abi/README.md)")
  endif()
  string(SUBSTRING "${ref}" 0 ${at} before)
  string(SUBSTRING "${ref}" ${at} -1 after)
  string(FIND "${after}" "layout-offset-in-bits='" first)
  math(EXPR skip "${first} + 23")
  string(SUBSTRING "${after}" ${skip} -1 rest)
  string(FIND "${rest}" "layout-offset-in-bits='" second)
  math(EXPR cut "${skip} + ${second} + 23")
  string(SUBSTRING "${after}" 0 ${cut} head)
  string(SUBSTRING "${after}" ${cut} -1 tail)
  string(REGEX MATCH "^[0-9]+" offset "${tail}")
  math(EXPR moved "${offset} + 32")
  string(REGEX REPLACE "^[0-9]+" "${moved}" tail "${tail}")
  set(REFERENCE "${CMAKE_CURRENT_BINARY_DIR}/lien-broken-member.abi")
  file(WRITE "${REFERENCE}" "${before}${head}${tail}")
endif()
string(REGEX MATCH "soname='([^']*)'" _ "${ref}")
set(ref_soname "${CMAKE_MATCH_1}")
execute_process(
  # No --header-file/--drop-private-types here: abidiff would judge the reference's types private whenever
  # they were recorded from another checkout path, and filter every struct change out. The reference holds
  # the public types only (abidw ran with them), and the exported functions use no other.
  COMMAND ${ABIDIFF} --suppressions ${SUPPRESSIONS} ${REFERENCE} ${LIBRARY}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "abidiff did not run: ${rc}")
endif()
math(EXPR tool_error "${rc} & 3")
math(EXPR incompatible "${rc} & 8")
math(EXPR changed "${rc} & 4")
# "Functions changes summary: R Removed, C Changed (F filtered out), A Added ..." and the same for variables.
string(REGEX MATCHALL "changes summary: [0-9]+ Removed, [0-9]+ Changed" summaries "${out}")
foreach(line ${summaries})
  string(REGEX MATCH "([0-9]+) Removed, ([0-9]+) Changed" _ "${line}")
  if(CMAKE_MATCH_1 GREATER 0 OR CMAKE_MATCH_2 GREATER 0)
    set(incompatible 1)
  endif()
endforeach()
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
