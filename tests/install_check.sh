#!/usr/bin/env bash
# `make install` into a temporary prefix, then builds consumers of the installed
# library the way each ecosystem does, and runs each against the emulator:
#   1. C with pkg-config: the quickstart, linked dynamically (pinata.pc) and statically
#      (pinata-static.pc);
#   2. C++ with pkg-config: the wrapper pinata.hpp from the same prefix;
#   3. CMake: tests/cmake_consumer (find_package(pinata 0.1), a C and a C++ program)
#      with pinata::pinata shared, then with PINATA_USE_STATIC_LIBS=ON; and the
#      version file's answers to other requested versions;
#   4. Go: a new module in a temporary folder that requires the Go binding (a replace
#      to this checkout) and builds through pkg-config only, by default (libpinata.so)
#      and with -tags pinata_static (pinata-static.pc), offline (GOPROXY=off).
# Nothing but the prefix tells a consumer where libpinata is. Exits non-zero on any
# failure. PINATA_FLAVOR=bundled installs and checks the bundled flavour (make bundled),
# whose pkg-config files and CMake package must name no libcurl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=emulator.sh
. "$root/tests/emulator.sh"
emulator_scratch
prefix=$work/prefix
flavor=${PINATA_FLAVOR:-system}
make -C "$root" --no-print-directory install PREFIX="$prefix" PROFILE=debug FLAVOR="$flavor" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
if [ "$flavor" = bundled ]; then
    if grep -l -- '-lcurl\|-lssl\|-lcrypto\|-lz\b' "$prefix"/lib/pkgconfig/*.pc \
        "$prefix"/lib/cmake/pinata/*.cmake; then
        echo "the bundled flavour's package files name a library it has built in" >&2
        exit 1
    fi
    echo "install: bundled flavour; static link: $(pkg-config --libs pinata-static)"
fi
# Compile-time search paths could point a consumer at the repository instead.
unset CGO_CFLAGS CGO_LDFLAGS CPATH C_INCLUDE_PATH CPLUS_INCLUDE_PATH LIBRARY_PATH
passed=0

soname=$(readelf -d "$prefix/lib/libpinata.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ -L "$prefix/lib/$soname" ] || { echo "no $soname symlink in the prefix" >&2; exit 1; }
echo "install: SONAME $soname, links $(cd "$prefix/lib" && ls libpinata.so* | tr "\n" " ")"

# Fails unless $1 loads libpinata.so from the prefix (dynamic) or not at all (static);
# $3, if given, is put first in LD_LIBRARY_PATH.
check_links() {
    local program=$1 kind=$2 deps
    deps=$(LD_LIBRARY_PATH=${3:-}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} ldd "$program")
    case $kind in
    dynamic) grep -q "$soname => $prefix/lib/" <<<"$deps" ||
        { echo "$deps" >&2; echo "$program does not load $prefix/lib/$soname" >&2; exit 1; } ;;
    static) ! grep -q libpinata <<<"$deps" ||
        { echo "$deps" >&2; echo "$program still needs libpinata.so" >&2; exit 1; } ;;
    esac
}

echo "== C: quickstart built with pkg-config"
src="$root/examples/c/quickstart.c"
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -Werror -pedantic "$src" -o "$work/quickstart-dynamic" \
    $(pkg-config --cflags --libs pinata) -Wl,-rpath,"$prefix/lib"
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -Werror -pedantic "$src" -o "$work/quickstart-static" \
    $(pkg-config --cflags --libs pinata-static)
for kind in dynamic static; do
    check_links "$work/quickstart-$kind" $kind
    "$root/examples/run-demo.sh" "$work/quickstart-$kind" >"$work/out-$kind.txt"
    echo "quickstart ($kind): $(tail -n 1 "$work/out-$kind.txt")"
    passed=$((passed + 1))
done

# One emulator for the consumers below (each makes two calls).
start_emulator "$root/target/debug/pinata-emulator"
export PINATA_API_URL=$PINATA_TEST_URL PINATA_JWT=$PINATA_TEST_JWT

echo "== C++: pinata.hpp with pkg-config"
# shellcheck disable=SC2046
g++ -std=c++17 -Wall -Wextra -Werror -pedantic "$root/tests/cmake_consumer/consumer.cpp" \
    -o "$work/consumer-cpp" $(pkg-config --cflags --libs pinata) -Wl,-rpath,"$prefix/lib"
check_links "$work/consumer-cpp" dynamic
"$work/consumer-cpp"
passed=$((passed + 1))

echo "== CMake: find_package(pinata 0.1) in tests/cmake_consumer"
for kind in shared static; do
    build=$work/cmake-$kind
    static=OFF
    [ $kind = static ] && static=ON
    cmake -S "$root/tests/cmake_consumer" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" \
        -DPINATA_USE_STATIC_LIBS=$static >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; exit 1; }
    cmake --build "$build" >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; exit 1; }
    for program in consumer_c consumer_cpp; do
        check_links "$build/$program" "$([ $kind = shared ] && echo dynamic || echo static)"
        echo "($kind) $("$build/$program")"
        passed=$((passed + 1))
    done
done
# The version file: 0.x accepts only its own minor (the SONAME carries major.minor).
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
IFS=. read -r major minor patch <<<"$version"
cat >"$work/version.cmake" <<'EOF'
string(REPLACE "." ";" parts "${PACKAGE_FIND_VERSION}")
list(LENGTH parts PACKAGE_FIND_VERSION_COUNT)
list(APPEND parts 0 0 0)
list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
include("${VERSION_FILE}")
message("${PACKAGE_VERSION_COMPATIBLE}")
EOF
wants=("$major.$minor:TRUE" "$major.$minor.$patch:TRUE" "$major:TRUE" "$major.$((minor + 1)):FALSE"
    "$((major + 1)).0:FALSE" "$major.$minor.$((patch + 1)):FALSE")
if [ "$major" = 0 ] && [ "$minor" -gt 0 ]; then
    wants+=("0.$((minor - 1)):FALSE") # an older 0.x minor: another ABI
elif [ "$major" -gt 0 ]; then
    wants+=("$major.0:TRUE") # an older minor of the same major
fi
for want in "${wants[@]}"; do
    got=$(cmake -DPACKAGE_FIND_VERSION="${want%%:*}" -DCMAKE_SIZEOF_VOID_P=8 \
        -DVERSION_FILE="$prefix/lib/cmake/pinata/pinataConfigVersion.cmake" -P "$work/version.cmake" 2>&1)
    [ "$got" = "${want##*:}" ] ||
        { echo "pinataConfigVersion.cmake $version: request ${want%%:*} gave $got, want ${want##*:}" >&2; exit 1; }
done
echo "version $version: ${wants[*]}"
passed=$((passed + 1))

echo "== Go: a new module outside the repository, through pkg-config"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false GOPROXY=off GOWORK=off
# A build cache of its own: the go command's cache key leaves out pkg-config's output,
# so a shared cache would reuse a binding compiled against an earlier prefix.
export GOCACHE=$work/gocache
unformatted=$(gofmt -l "$root/tests/go_consumer")
[ -z "$unformatted" ] || { echo "gofmt needed: $unformatted" >&2; exit 1; }
mod=$work/go-consumer
mkdir -p "$mod"
cp "$root/tests/go_consumer/main.go" "$mod/"
binding=github.com/libpinata/libpinata/bindings/go
(
    cd "$mod"
    go mod init example.com/pinata-consumer >/dev/null 2>&1
    go mod edit -require="$binding@v0.0.0" -replace="$binding=$root/bindings/go"
    for kind in dynamic static; do
        tags=
        want=pinata
        if [ $kind = static ]; then tags=-tags=pinata_static want=pinata-static; fi
        # The binding's only cgo input is the pkg-config package: no path into the checkout.
        # shellcheck disable=SC2086
        got=$(go list $tags -f '{{join .CgoPkgConfig " "}}|{{join .CgoCFLAGS " "}}|{{join .CgoLDFLAGS " "}}' "$binding")
        [ "$got" = "$want||" ] || { echo "the binding's cgo flags are '$got', want '$want||'" >&2; exit 1; }
        # shellcheck disable=SC2086
        go build $tags -o "consumer-$kind" .
        if [ $kind = dynamic ]; then
            # pkg-config gives no rpath: the loader finds the prefix as a user would say.
            check_links "./consumer-$kind" dynamic "$prefix/lib"
            echo "($kind) $(LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "./consumer-$kind")"
        else
            check_links "./consumer-$kind" static
            echo "($kind) $("./consumer-$kind")"
        fi
    done
)
passed=$((passed + 2))
echo "install check: $passed passed, 0 failed"
