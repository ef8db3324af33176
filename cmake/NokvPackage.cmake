# Debian packages with CPack, one per install component (cmake/NokvInstall.cmake):
#   nokv      the binary (stripped) and its man pages; Depends from dpkg-shlibdeps
#   nokv-dev  headers, libnokv.a and the CMake package config
#
#   cmake --preset release && cmake --build --preset release
#   cd build && cpack            # -> nokv_X.Y.Z_ARCH.deb, nokv-dev_X.Y.Z_ARCH.deb
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nokv)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The nokv Authors")
set(CPACK_PACKAGE_CONTACT "nokv developers <dev@nokv.invalid>")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The release build carries debug info (RelWithDebInfo); the packages do not.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME nokv)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION utils)
# The first line of each description is the package's synopsis. (No
# CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPack would put it before both.)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
  "Metadata control plane for AI training runs and agent workspaces
One filesystem-shaped namespace over an embedded metadata engine (RocksDB),
with file bodies as immutable, checksummed blocks in a local directory or an
S3-compatible store. Atomic publish of files and whole trees, exact versions,
snapshots, zero-copy copies and forks, checkpoints, typed watch, snapshot-aware
garbage collection, and read-only agent verbs served over MCP (nokv mcp).
License: Apache-2.0.")
# The shared libraries the binary links decide its Depends.
find_program(DPKG_SHLIBDEPS_EXECUTABLE dpkg-shlibdeps)
if(DPKG_SHLIBDEPS_EXECUTABLE)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
else()
  message(STATUS "dpkg-shlibdeps not found (package dpkg-dev): the nokv package "
    "lists the Depends of Debian 12")
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS
    "libc6, libstdc++6, libgcc-s1, libssl3, libpugixml1v5, libyaml-cpp0.7, libre2-9, libsnappy1v5, liblz4-1, libzstd1, libbz2-1.0, zlib1g")
endif()

# Without libcurl linked in, the S3 store loads libcurl.so.4 when it is used.
if(NOT "CURL::libcurl" IN_LIST NOKV_CORE_LINKS)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS libcurl4)
endif()

set(CPACK_DEBIAN_DEVEL_PACKAGE_NAME nokv-dev)
set(CPACK_DEBIAN_DEVEL_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVEL_DESCRIPTION
  "Metadata control plane for AI training runs (development files)
The C++20 headers and static library of the embedded nokv namespace
(nokv::OpenNamespace and the Namespace interface), with a CMake package:
find_package(nokv) gives the imported target nokv::nokv.
License: Apache-2.0.")
# What linking libnokv.a needs (the table in cmake/NokvInstall.cmake).
list(JOIN NOKV_DEV_DEBIAN_DEPENDS ", " CPACK_DEBIAN_DEVEL_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_DEVEL_PACKAGE_SUGGESTS nokv)

include(CPack)
