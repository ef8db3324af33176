#!/usr/bin/env bash
# Checks a built tree as users get it.
#
#   tests/install/run.sh prefix BUILD_DIR
#     `cmake --install --strip` into a scratch prefix; the installed binary
#     runs and is stripped, the man pages are there, and a small C++ program
#     outside the tree builds against find_package(nokv), publishes files
#     through the installed library and reads them back.
#   tests/install/run.sh deb BUILD_DIR
#     cpack builds the Debian packages; they hold the stripped binary, the man
#     pages, the headers and the CMake package config, with their Depends.
#
# Environment: NOKV_VERSION (the version the binary must report),
# NOKV_MAN_PAGES (ON when the build generates man pages; default ON),
# NOKV_LIBDIR (the build's CMAKE_INSTALL_LIBDIR; default lib).
set -euo pipefail

usage="usage: run.sh prefix|deb BUILD_DIR"
mode=${1:?$usage}
build=$(cd "${2:?$usage}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
version=${NOKV_VERSION:?NOKV_VERSION must name the version nokv reports}
man_pages=${NOKV_MAN_PAGES:-ON}
libdir=${NOKV_LIBDIR:-lib}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/nokv-install-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
fail() {
  echo "install test: FAIL: $*" >&2
  exit 1
}
# Exits non-zero when $1 still has a symbol table or debug info.
is_stripped() {
  ! readelf -S "$1" | grep -q '\.symtab\|\.debug_info'
}
# Some line of file $2 must match the extended regex $1; else fails with $3.
expect_line() {
  grep -Eq -- "$1" "$2" || fail "$3"
}

check_prefix() {
  local prefix=$scratch/prefix
  cmake --install "$build" --prefix "$prefix" --strip >"$scratch/install.log" ||
    fail "cmake --install failed: $(tail -5 "$scratch/install.log")"

  local f
  for f in bin/nokv include/nokv/namespace.h include/nokv/status.h \
    "$libdir/cmake/nokv/nokvConfig.cmake" "$libdir/cmake/nokv/nokvConfigVersion.cmake" \
    "$libdir/libnokv.a" share/doc/nokv/copyright; do
    [ -f "$prefix/$f" ] || fail "$f is not installed under the prefix"
  done

  local got
  got=$("$prefix/bin/nokv" --version) || fail "installed nokv --version exited $?"
  [ "$got" = "nokv $version" ] || fail "installed nokv --version says '$got'; the build is $version"
  is_stripped "$prefix/bin/nokv" || fail "installed bin/nokv is not stripped (cmake --install --strip)"

  if [ "$man_pages" = ON ]; then
    local page title
    for page in nokv nokv-put nokv-snapshot; do
      [ -f "$prefix/share/man/man1/$page.1.gz" ] ||
        fail "man page share/man/man1/$page.1.gz is not installed"
      gzip -dc "$prefix/share/man/man1/$page.1.gz" >"$scratch/$page.1"
      title=$(echo "$page" | tr '[:lower:]' '[:upper:]')
      expect_line "^\.TH $title \"1\"" "$scratch/$page.1" "$page.1 has no .TH $title header"
    done
    expect_line 'if\\-generation' "$scratch/nokv-put.1" "nokv-put.1 lacks the options of nokv put --help"
  fi

  # A program outside the tree, built against the installed package only.
  local generator=()
  if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
  local consumer=$scratch/consumer-build
  cmake -S "$here/consumer" -B "$consumer" "${generator[@]}" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$scratch/configure.log" 2>&1 ||
    fail "find_package(nokv) failed: $(tail -20 "$scratch/configure.log")"
  cmake --build "$consumer" >"$scratch/build.log" 2>&1 ||
    fail "the consumer does not build against the installed nokv: $(tail -30 "$scratch/build.log")"
  local out
  out=$("$consumer/nokv_consumer" "$scratch/data") || fail "nokv_consumer exited $?: $out"
  echo "$out"
  # What the library published is what the installed CLI reads.
  out=$("$prefix/bin/nokv" --data-dir "$scratch/data" cat /consumer/small.txt) ||
    fail "installed nokv cat exited $?"
  [ "$out" = "hello from an installed nokv" ] || fail "installed nokv cat printed '$out'"

  echo "install test: installed bin/nokv $(du -k "$prefix/bin/nokv" | cut -f1) KiB," \
    "$libdir/libnokv.a $(du -k "$prefix/$libdir/libnokv.a" | cut -f1) KiB"
}

check_deb() {
  cpack --config "$build/CPackConfig.cmake" -B "$scratch/deb" >"$scratch/cpack.log" 2>&1 ||
    fail "cpack failed: $(tail -20 "$scratch/cpack.log")"
  local arch bin_deb dev_deb
  arch=$(dpkg --print-architecture)
  bin_deb=$scratch/deb/nokv_${version}_$arch.deb
  dev_deb=$scratch/deb/nokv-dev_${version}_$arch.deb
  [ -f "$bin_deb" ] && [ -f "$dev_deb" ] ||
    fail "cpack made $(cd "$scratch/deb" && echo *.deb), not nokv and nokv-dev $version"

  dpkg-deb --info "$bin_deb" >"$scratch/bin.info"
  dpkg-deb --contents "$bin_deb" >"$scratch/bin.contents"
  dpkg-deb --info "$dev_deb" >"$scratch/dev.info"
  dpkg-deb --contents "$dev_deb" >"$scratch/dev.contents"
  expect_line '^ Package: nokv$' "$scratch/bin.info" "the nokv .deb has the wrong Package field"
  expect_line '^ Depends: .*libc6.*libssl3' "$scratch/bin.info" \
    "the nokv .deb does not depend on the libraries the binary links"
  expect_line '^ Maintainer: .+<.+@.+>$' "$scratch/bin.info" "the nokv .deb has no maintainer"
  expect_line ' \./usr/bin/nokv$' "$scratch/bin.contents" "the nokv .deb has no /usr/bin/nokv"
  expect_line ' \./usr/share/doc/nokv/copyright$' "$scratch/bin.contents" \
    "the nokv .deb has no copyright file"
  if [ "$man_pages" = ON ]; then
    expect_line ' \./usr/share/man/man1/nokv\.1\.gz$' "$scratch/bin.contents" \
      "the nokv .deb has no nokv.1.gz"
    expect_line ' \./usr/share/man/man1/nokv-put\.1\.gz$' "$scratch/bin.contents" \
      "the nokv .deb has no nokv-put.1.gz"
  fi
  expect_line '^ Package: nokv-dev$' "$scratch/dev.info" "the nokv-dev .deb has the wrong Package field"
  expect_line '^ Depends: .*librocksdb-dev' "$scratch/dev.info" \
    "the nokv-dev .deb does not depend on what linking libnokv.a needs"
  expect_line ' \./usr/include/nokv/namespace\.h$' "$scratch/dev.contents" "the nokv-dev .deb has no headers"
  expect_line " \./usr/$libdir/libnokv\.a$" "$scratch/dev.contents" "the nokv-dev .deb has no libnokv.a"
  expect_line " \./usr/$libdir/cmake/nokv/nokvConfig\.cmake$" "$scratch/dev.contents" \
    "the nokv-dev .deb has no CMake package config"

  dpkg-deb --fsys-tarfile "$bin_deb" | tar -xO ./usr/bin/nokv >"$scratch/nokv-from-deb"
  is_stripped "$scratch/nokv-from-deb" || fail "the binary in the nokv .deb is not stripped"
  echo "install test: $(basename "$bin_deb") $(du -k "$bin_deb" | cut -f1) KiB" \
    "(installed $(awk '/Installed-Size/ {print $2}' "$scratch/bin.info") KiB)," \
    "$(basename "$dev_deb") $(du -k "$dev_deb" | cut -f1) KiB" \
    "(installed $(awk '/Installed-Size/ {print $2}' "$scratch/dev.info") KiB)"
}

case "$mode" in
  prefix) check_prefix ;;
  deb) check_deb ;;
  *)
    echo "$usage" >&2
    exit 2
    ;;
esac
echo "install test: $mode passed"
