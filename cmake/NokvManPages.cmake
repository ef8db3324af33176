# Generates the man pages of nokv from its --help output with help2man: nokv(1)
# and one page per command, nokv-COMMAND(1) (the commands are read from
# `nokv --help`, so a new command gets its page without a change here).
#
#   cmake -DNOKV_BIN=path/to/nokv -DHELP2MAN=path/to/help2man -DGZIP=path/to/gzip
#         -DVERSION=X.Y.Z -DOUT_DIR=dir -DSTAMP=file -P NokvManPages.cmake
#
# Running help2man for every command takes seconds; the pages are only
# regenerated when some help text changed since the last run (the stamp holds
# a digest of all of it), so relinking nokv stays cheap.

foreach(var NOKV_BIN HELP2MAN GZIP VERSION OUT_DIR STAMP)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "NokvManPages.cmake: -D${var}=... is required")
  endif()
endforeach()

function(nokv_help out_var)
  execute_process(COMMAND ${NOKV_BIN} ${ARGN} --help
    OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " args "${ARGN}")
    message(FATAL_ERROR "`nokv ${args} --help` failed (${rc}): ${err}")
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

nokv_help(main_help)

# Command lines of the top-level help: two spaces, a lower-case name, two or
# more spaces, the one-line description. Options start with '-', environment
# variables are upper case and exit codes are digits, so none of them match.
string(REPLACE "\n" ";" main_lines "${main_help}")
set(commands "")
foreach(line IN LISTS main_lines)
  if(line MATCHES "^  ([a-z][a-z0-9-]*)  +(.+)$")
    list(APPEND commands ${CMAKE_MATCH_1})
    set(summary_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  endif()
endforeach()
if(commands STREQUAL "")
  message(FATAL_ERROR "NokvManPages.cmake: found no commands in `nokv --help`")
endif()

set(all_help "${VERSION}\n${main_help}")
foreach(cmd IN LISTS commands)
  nokv_help(help_${cmd} ${cmd})
  string(APPEND all_help "${help_${cmd}}")
endforeach()
string(SHA256 digest "${all_help}")
if(EXISTS ${STAMP} AND EXISTS ${OUT_DIR}/nokv.1.gz)
  file(READ ${STAMP} old_digest)
  if(old_digest STREQUAL digest)
    file(TOUCH ${STAMP})
    return()
  endif()
endif()

file(REMOVE_RECURSE ${OUT_DIR})
file(MAKE_DIRECTORY ${OUT_DIR})

# help2man runs "PROGRAM --help" through the shell, so "nokv COMMAND" works as
# the program; --version-string saves asking each command for its version.
function(nokv_help2man page program summary include_file)
  execute_process(COMMAND ${HELP2MAN} --no-info --section=1
      "--manual=nokv manual" "--source=nokv ${VERSION}" "--version-string=${VERSION}"
      "--name=${summary}" "--include=${include_file}" "--output=${OUT_DIR}/${page}.1"
      "${program}"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man failed for ${page}: ${err}")
  endif()
endfunction()

# The main page: the summary is the first line of the help without "nokv: ".
string(REGEX REPLACE "\n.*" "" main_summary "${main_help}")
string(REGEX REPLACE "^nokv: *" "" main_summary "${main_summary}")
string(REGEX REPLACE "\\.$" "" main_summary "${main_summary}")
set(see_also "")
foreach(cmd IN LISTS commands)
  string(APPEND see_also ".BR nokv-${cmd} (1)\n")
endforeach()
file(WRITE ${OUT_DIR}/nokv.h2m "[SEE ALSO]\n${see_also}")
nokv_help2man(nokv "${NOKV_BIN}" "${main_summary}" ${OUT_DIR}/nokv.h2m)

# One page per command, named and titled nokv-COMMAND as man(1) looks it up.
file(WRITE ${OUT_DIR}/command.h2m "[SEE ALSO]\n.BR nokv (1)\n")
foreach(cmd IN LISTS commands)
  nokv_help2man(nokv-${cmd} "${NOKV_BIN} ${cmd}" "${summary_${cmd}}" ${OUT_DIR}/command.h2m)
  file(READ ${OUT_DIR}/nokv-${cmd}.1 page)
  string(TOUPPER "nokv-${cmd}" title)
  string(REGEX REPLACE "\n\\.TH [^ ]+ " "\n.TH ${title} " page "${page}")
  string(REPLACE "\nnokv ${cmd} \\- " "\nnokv-${cmd} \\- " page "${page}")
  file(WRITE ${OUT_DIR}/nokv-${cmd}.1 "${page}")
endforeach()
file(REMOVE ${OUT_DIR}/nokv.h2m ${OUT_DIR}/command.h2m)

# Compressed as Debian installs man pages; -n keeps the output reproducible.
file(GLOB pages ${OUT_DIR}/*.1)
execute_process(COMMAND ${GZIP} -9nf ${pages} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip of the man pages failed (${rc})")
endif()
file(WRITE ${STAMP} "${digest}")
