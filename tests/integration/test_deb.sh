# Integration test of the Debian package (issue 14 item 6): cpack builds the .deb
# in a temporary directory; it is unpacked into a clean root with dpkg -x (nothing
# on the machine is touched) and <root>/usr/bin/writebench must run there, finding
# <root>/usr/share/writebench/workloads through its own path; the control fields
# (Package, Version, Depends) are checked with dpkg-deb -I, and the packaged man
# page must list every option --help lists.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/installed_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/installed_lib.sh"

if [[ -z "${WB_BUILD_DIR:-}" || ! -f "$WB_BUILD_DIR/CPackConfig.cmake" ]]; then
    fail "WB_BUILD_DIR must name the build directory with CPackConfig.cmake (got '${WB_BUILD_DIR:-}')"
    finish
fi
for tool in cpack dpkg-deb dpkg-shlibdeps groff; do
    check "$tool is installed (scripts/deps --test)" command -v "$tool" >/dev/null
done
work=$(make_temp_dir)
(cd "$work" && cpack --config "$WB_BUILD_DIR/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1)
check_eq "cpack -G DEB builds the package" 0 "$?" || cat "$work/cpack.log"
debs=("$work"/package/writebench_*.deb)
check "one writebench_VERSION_ARCH.deb is made" test -f "${debs[0]}"
deb=${debs[0]}

version=$("$WB_BIN" --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)
info=$(dpkg-deb -I "$deb" 2>&1)
check_contains "Package: writebench" "$info" "Package: writebench"
check_contains "Version is the binary's version ($version)" "$info" "Version: $version"
depends=$(dpkg-deb -f "$deb" Depends 2>&1)
for lib in libc6 libpq5 libsqlite3-0 libyaml-0-2 libmariadb3 libnettle8 libpg-query; do
    check_contains "Depends names $lib" "$depends" "$lib"
done

check_contains "Suggests the local servers of pg-temp: and mariadb-temp:" "$(dpkg-deb -f "$deb" Suggests)" \
    "postgresql, mariadb-server"

root=$work/root
check "dpkg -x unpacks the package into a clean root" dpkg-deb -x "$deb" "$root"
check "the package holds only /usr" test "$(ls "$root")" = usr
check_installed_tree "$root/usr"
check_man_lists_help "$root/usr/bin/writebench" "$root/usr/share/man/man1/writebench.1"
finish
