"""What takes the space in a shared library built from Rust crates and C archives.

    so_breakdown.py LIB.so [ARCHIVE.a ...]

Sums the sizes of the library's symbols (`nm -S`, unstripped library): a C symbol goes
to the archive that defines a symbol of that name, a Rust symbol to the crate at the
head of its demangled path; what neither claims is "unattributed". Prints a Markdown
table, largest first, and the bytes no symbol covers (unwind tables, relocations,
headers: the sections' total minus the symbols').
"""
import collections
import os
import re
import subprocess
import sys

lib, archives = sys.argv[1], sys.argv[2:]


def nm(args):
    return subprocess.run(["nm"] + args, capture_output=True, text=True).stdout.splitlines()


owner = {}
for a in archives:
    name = re.sub(r"^lib|\.a$", "", os.path.basename(a))
    name = re.sub(r"_\d+_\d+_\d+_", "-", name)  # aws_lc_0_47_0_crypto -> aws_lc-crypto
    for line in nm(["--defined-only", a]):
        p = line.split()
        if len(p) == 3:
            owner.setdefault(p[2], name)

sizes = collections.Counter()
covered = 0
for line in nm(["-S", "--size-sort", lib]):
    p = line.split(None, 3)
    if len(p) < 4:
        continue
    size, raw = int(p[1], 16), p[3].strip()
    covered += size
    base = re.sub(r"\.(part|constprop|cold|isra)\.\d+.*$", "", raw)
    if base in owner:
        sizes[owner[base] + " (C)"] += size
        continue
    demangled = subprocess.run(["c++filt", "-p"], input=raw, capture_output=True, text=True).stdout.strip()
    m = re.match(r"^(?:<)?(?:&)?(?:<)?([a-z_][a-z0-9_]*)::", demangled)
    if m:
        crate = m.group(1)
        if crate in ("core", "alloc", "std", "gimli", "addr2line", "miniz_oxide", "rustc_demangle", "hashbrown", "object"):
            crate = "Rust std"
        sizes[crate + " (Rust)" if crate != "Rust std" else crate] += size
    elif raw.startswith("rustls_") or raw.startswith("RUSTLS_"):
        sizes["rustls_ffi (Rust)"] += size
    elif raw.startswith("aws_lc_"):
        sizes["aws_lc-crypto (C)"] += size
    else:
        sizes["unattributed"] += size

total = os.path.getsize(lib)
print("| part | size |")
print("|---|---:|")
for k, v in sizes.most_common():
    if v >= 16 * 1024:
        print(f"| {k} | {v / 1048576:.2f} MiB |")
small = sum(v for v in sizes.values() if v < 16 * 1024)
print(f"| everything else under 16 KiB each | {small / 1048576:.2f} MiB |")
print(f"| not in any symbol (unwind tables, relocations, headers, symbol tables) | {(total - covered) / 1048576:.2f} MiB |")
print(f"| **unstripped file** | {total / 1048576:.2f} MiB |")
