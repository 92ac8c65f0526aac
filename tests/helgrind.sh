#!/usr/bin/env bash
# Runs tests/c/test_concurrency.c (one client shared by many threads) under valgrind's
# helgrind against a fresh emulator, with tests/c/helgrind.supp, and exits non-zero when
# helgrind reports anything or a check fails. Expects `make build` to have run.
#
# Usage: tests/helgrind.sh [--tool=helgrind|drd] [--check-pool]
#   --tool=drd     runs DRD instead, for information only: DRD records a single frame
#                  for many accesses inside libcurl, so its reports of the handle pool's
#                  hand-off cannot be told apart by stack (see tests/c/helgrind.supp).
#                  Prints DRD's counts; fails only when a check of the test fails.
#   --check-pool   repeats the experiment behind the pool entries of helgrind.supp: builds
#                  a scratch copy of the tree whose handle pool uses a pthread mutex
#                  (which helgrind understands) and runs helgrind WITHOUT the pool
#                  entries. Takes about a minute more (a separate build).
# Environment: PINATA_CONCURRENCY_CALLS (calls per thread, default 50 here),
#              PINATA_CONCURRENCY_THREADS (default 8), PINATA_LIB_DIR, CC.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
libdir=${PINATA_LIB_DIR:-$root/target/debug}
tool=helgrind
check_pool=0
for arg in "$@"; do
    case "$arg" in
        --tool=helgrind) tool=helgrind ;;
        --tool=drd) tool=drd ;;
        --check-pool) check_pool=1 ;;
        *) echo "usage: $0 [--tool=helgrind|drd] [--check-pool]" >&2; exit 2 ;;
    esac
done
export PINATA_CONCURRENCY_CALLS=${PINATA_CONCURRENCY_CALLS:-50}
export PINATA_CONCURRENCY_THREADS=${PINATA_CONCURRENCY_THREADS:-8}
command -v valgrind >/dev/null || { echo "valgrind is missing" >&2; exit 1; }
[ -x "$libdir/pinata-emulator" ] || { echo "no $libdir/pinata-emulator: run make build" >&2; exit 1; }

bin=$root/tests/c/bin
mkdir -p "$bin"
cc=${CC:-gcc}
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -g -I"$root/include" -I"$root/tests/c")
supp=$root/tests/c/helgrind.supp

# shellcheck source=emulator.sh
. "$root/tests/emulator.sh"
emulator_scratch

# run_tool TOOL LIBDIR SUPPRESSIONS LABEL: builds the test against LIBDIR, runs it under
# TOOL and prints the error summary. Sets vg_rc (valgrind's exit status), vg_errors
# (errors left after suppressions) and checks_ok (1 when every check of the test passed).
run_tool() {
    local t=$1 lib=$2 supp_file=$3 label=$4 exe log
    exe=$bin/test_concurrency.$label
    log=$work/$label.log
    "$cc" "${cflags[@]}" "$root/tests/c/test_concurrency.c" -o "$exe" \
        -L"$lib" -Wl,-rpath,"$lib" -lpinata -lpthread
    curl -sf -X POST "$PINATA_TEST_URL/__emulator/reset" -o /dev/null
    echo "== test_concurrency under $t ($label): $PINATA_CONCURRENCY_THREADS threads x" \
        "$PINATA_CONCURRENCY_CALLS calls"
    vg_rc=0
    # --num-callers: the suppressions anchor on pinata frames deep in the stack.
    valgrind --tool="$t" --error-exitcode=1 --error-limit=no --num-callers=64 --fair-sched=yes \
        --suppressions="$supp_file" --log-file="$log" "$exe" >"$work/$label.out" || vg_rc=$?
    cat "$work/$label.out"
    checks_ok=0
    grep -q '^test_concurrency: [0-9]* passed, 0 failed$' "$work/$label.out" && checks_ok=1
    vg_errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
    grep 'ERROR SUMMARY' "$log" | tail -n 1 | sed 's/^==[0-9]*== /   /'
    if [ "$t" = helgrind ] && [ "${vg_errors:-1}" != 0 ]; then
        # The reports themselves (valgrind's banner and blank lines left out).
        grep -v '^==[0-9]*== *$' "$log" | sed -n '/Thread-Announcement\|Possible data race\|Lock order\|Thread #[0-9]*:/,$p' | head -n 400 || true
    fi
}

start_emulator "$libdir/pinata-emulator"
failed=0

if [ "$tool" = helgrind ]; then
    run_tool helgrind "$libdir" "$supp" helgrind
    if [ "$vg_rc" != 0 ] || [ "$checks_ok" != 1 ]; then
        echo "FAILED: test_concurrency under helgrind (exit $vg_rc, ${vg_errors:-?} errors)" >&2
        failed=1
    fi
else
    run_tool drd "$libdir" "$supp" drd
    echo "   (DRD is informational: what the suppressions leave are accesses inside libcurl"
    echo "    to easy-handle memory, recorded with a single frame; see helgrind.supp)"
    if [ "$checks_ok" != 1 ]; then
        echo "FAILED: test_concurrency checks under drd" >&2
        failed=1
    fi
fi

if [ "$check_pool" = 1 ]; then
    # A scratch copy whose Transport::idle is a pthread mutex: helgrind then sees the
    # hand-off of easy handles, and the pool entries of helgrind.supp must not be needed.
    scratch=$work/tree
    mkdir -p "$scratch"
    (cd "$root" && tar --exclude=./target --exclude=./.git --exclude=./fuzz/target \
        --exclude=node_modules -cf - .) | tar -C "$scratch" -xf -
    python3 - "$scratch/src/transport.rs" <<'EOF'
import re, sys
path = sys.argv[1]
src = open(path).read()
subs = [
    (r"idle: Mutex<(Vec<\w+>)>", r"idle: PthreadMutex<\1>"),
    (r"idle: Mutex::new\(Vec::new\(\)\)", "idle: PthreadMutex::new(Vec::new())"),
    (r"self\.idle\.lock\(\)\.unwrap_or_else\(\|p\| p\.into_inner\(\)\)", "self.idle.lock()"),
]
for pattern, repl in subs:
    src, n = re.subn(pattern, repl, src)
    if n == 0:
        sys.exit("--check-pool: src/transport.rs no longer has %r; update tests/helgrind.sh" % pattern)
src += '''
/// tests/helgrind.sh --check-pool only: a pthread mutex, whose hand-offs helgrind sees.
pub struct PthreadMutex<T> {
    lock: Box<std::cell::UnsafeCell<libc::pthread_mutex_t>>,
    value: std::cell::UnsafeCell<T>,
}
unsafe impl<T: Send> Send for PthreadMutex<T> {}
unsafe impl<T: Send> Sync for PthreadMutex<T> {}
pub struct PthreadGuard<'a, T>(&'a PthreadMutex<T>);
impl<T> PthreadMutex<T> {
    pub fn new(value: T) -> Self {
        PthreadMutex {
            lock: Box::new(std::cell::UnsafeCell::new(libc::PTHREAD_MUTEX_INITIALIZER)),
            value: std::cell::UnsafeCell::new(value),
        }
    }
    pub fn lock(&self) -> PthreadGuard<'_, T> {
        unsafe { libc::pthread_mutex_lock(self.lock.get()) };
        PthreadGuard(self)
    }
}
impl<T> Drop for PthreadGuard<'_, T> {
    fn drop(&mut self) {
        unsafe { libc::pthread_mutex_unlock(self.0.lock.get()) };
    }
}
impl<T> std::ops::Deref for PthreadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        unsafe { &*self.0.value.get() }
    }
}
impl<T> std::ops::DerefMut for PthreadGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        unsafe { &mut *self.0.value.get() }
    }
}
'''
open(path, "w").write(src)
EOF
    echo "== building the pthread-mutex pool variant (scratch copy, own target dir)"
    # Its own target dir and header path: the scratch copy must never write into the
    # real tree's target/.
    (cd "$scratch" && PINATA_HEADER_OUT="$scratch/pinata.h" CARGO_TARGET_DIR="$scratch/target" RUSTFLAGS="-A warnings" \
        cargo build -q -p pinata)
    soname=$(objdump -p "$scratch/target/debug/libpinata.so" | awk '/SONAME/ {print $2}')
    [ -n "$soname" ] && ln -sf libpinata.so "$scratch/target/debug/$soname"
    grep -v '^#' "$supp" | python3 -c '
import re, sys
text = sys.stdin.read()
# Drop every entry whose name starts with "pool-handoff".
print(re.sub(r"\{\s*\n\s*pool-handoff[^}]*\}\n?", "", text))
' >"$work/no-pool.supp"
    run_tool helgrind "$scratch/target/debug" "$work/no-pool.supp" check-pool
    if [ "$vg_rc" != 0 ] || [ "$checks_ok" != 1 ]; then
        echo "FAILED: with a pthread-mutex pool, helgrind still reports races without the" \
            "pool entries: those are not hand-off false positives" >&2
        failed=1
    else
        echo "   pool entries confirmed: nothing left once helgrind can see the pool's mutex"
    fi
fi
exit $failed
