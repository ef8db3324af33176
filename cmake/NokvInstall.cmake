# Install rules, the CMake package config and the man pages.
#
# Two components, which CPack turns into two Debian packages:
#   runtime  the nokv binary, its man pages and the license   (package nokv)
#   devel    the public headers, libnokv.a and the package     (package nokv-dev)
#            config for find_package(nokv) -> nokv::nokv
#
#   cmake --install build --prefix /usr/local --strip
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NOKV_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/nokv)

install(TARGETS nokv RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/packaging/copyright
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/nokv
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT devel FILES_MATCHING PATTERN "*.h")
install(TARGETS nokv_core EXPORT nokvTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT devel
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# --strip (and CPack) strips executables only; a static library keeps its
# symbols but loses the debug info, most of its size in a RelWithDebInfo build.
if(CMAKE_STRIP)
  install(CODE "
    if(CMAKE_INSTALL_DO_STRIP)
      execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug
        \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:nokv_core>\")
    endif()" COMPONENT devel)
endif()
install(EXPORT nokvTargets NAMESPACE nokv:: DESTINATION ${NOKV_CMAKE_INSTALL_DIR}
  COMPONENT devel)
# A static library records nothing of what it links, so the package config
# must find every package whose target nokv_core links, and nokv-dev must
# depend on the Debian packages that have them. The table below says both for
# each target; the lists are made from what nokv_core links now.
function(nokv_link_dependency target cmake_package debian_package)
  set(NOKV_DEP_PACKAGE_${target} "${cmake_package}" PARENT_SCOPE)
  set(NOKV_DEP_DEBIAN_${target} "${debian_package}" PARENT_SCOPE)
endfunction()
nokv_link_dependency(Threads::Threads Threads "")
nokv_link_dependency(OpenSSL::Crypto OpenSSL libssl-dev)
nokv_link_dependency(OpenSSL::SSL OpenSSL libssl-dev)
nokv_link_dependency(CURL::libcurl CURL "libcurl4-openssl-dev | libcurl-dev")
nokv_link_dependency(nlohmann_json::nlohmann_json nlohmann_json nlohmann-json3-dev)
nokv_link_dependency(pugixml::pugixml pugixml libpugixml-dev)
nokv_link_dependency(yaml-cpp yaml-cpp libyaml-cpp-dev)
nokv_link_dependency(nokv::rocksdb "" librocksdb-dev)  # the config finds it itself
get_target_property(NOKV_CORE_LINKS nokv_core LINK_LIBRARIES)
set(NOKV_FIND_DEPENDENCIES "")
set(NOKV_DEV_DEBIAN_DEPENDS "")
foreach(lib IN LISTS NOKV_CORE_LINKS)
  if(NOT TARGET ${lib})
    continue()  # a system library such as dl, found by the linker
  endif()
  if(NOT DEFINED NOKV_DEP_PACKAGE_${lib})
    message(FATAL_ERROR "nokv_core links ${lib}: add it to the table in "
      "cmake/NokvInstall.cmake so that find_package(nokv) finds it")
  endif()
  set(package "${NOKV_DEP_PACKAGE_${lib}}")
  if(package AND NOT NOKV_FIND_DEPENDENCIES MATCHES "find_dependency\\(${package}\\)")
    string(APPEND NOKV_FIND_DEPENDENCIES "find_dependency(${package})\n")
  endif()
  if(NOKV_DEP_DEBIAN_${lib})
    list(APPEND NOKV_DEV_DEBIAN_DEPENDS "${NOKV_DEP_DEBIAN_${lib}}")
  endif()
endforeach()
list(REMOVE_DUPLICATES NOKV_DEV_DEBIAN_DEPENDS)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/nokvConfig.cmake.in
  ${PROJECT_BINARY_DIR}/nokvConfig.cmake INSTALL_DESTINATION ${NOKV_CMAKE_INSTALL_DIR})
# 0.x: a new minor version may change the interface.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/nokvConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/nokvConfig.cmake ${PROJECT_BINARY_DIR}/nokvConfigVersion.cmake
  DESTINATION ${NOKV_CMAKE_INSTALL_DIR} COMPONENT devel)

# Man pages from --help, rebuilt with the binary (cmake/NokvManPages.cmake).
# Off by default under sanitizers: the pages come from the release build.
if(NOKV_SANITIZE)
  set(NOKV_MAN_PAGES_DEFAULT OFF)
else()
  set(NOKV_MAN_PAGES_DEFAULT ON)
endif()
option(NOKV_MAN_PAGES "Generate man pages from --help with help2man" ${NOKV_MAN_PAGES_DEFAULT})
if(NOKV_MAN_PAGES)
  find_program(HELP2MAN_EXECUTABLE help2man)
  find_program(GZIP_EXECUTABLE gzip)
  if(NOT HELP2MAN_EXECUTABLE OR NOT GZIP_EXECUTABLE)
    message(FATAL_ERROR "The man pages need help2man and gzip: run scripts/install-deps.sh "
      "(or apt-get install help2man), or configure with -DNOKV_MAN_PAGES=OFF")
  endif()
  set(NOKV_MAN_DIR ${PROJECT_BINARY_DIR}/man/man1)
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/man/stamp
    COMMAND ${CMAKE_COMMAND} -DNOKV_BIN=$<TARGET_FILE:nokv> -DHELP2MAN=${HELP2MAN_EXECUTABLE}
      -DGZIP=${GZIP_EXECUTABLE} -DVERSION=${PROJECT_VERSION} -DOUT_DIR=${NOKV_MAN_DIR}
      -DSTAMP=${PROJECT_BINARY_DIR}/man/stamp -P ${PROJECT_SOURCE_DIR}/cmake/NokvManPages.cmake
    DEPENDS nokv ${PROJECT_SOURCE_DIR}/cmake/NokvManPages.cmake
    COMMENT "Generating man pages from nokv --help")
  add_custom_target(nokv_man_pages ALL DEPENDS ${PROJECT_BINARY_DIR}/man/stamp)
  install(DIRECTORY ${NOKV_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
    COMPONENT runtime FILES_MATCHING PATTERN "*.1.gz")
endif()
