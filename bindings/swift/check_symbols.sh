#!/usr/bin/env bash
# Static check of the Swift bindings against the C header, for machines without a Swift
# toolchain (see README.md). Reads every .swift file under bindings/swift and
# examples/swift (comments and string literals removed) and checks that:
#   1. every `pinata_…` identifier exists in include/pinata.h;
#   2. every `pinata_…(` call names a function of the header and passes exactly as many
#      arguments as the prototype has parameters;
#   3. every call of a function whose last parameter is `pinata_error **err_out` passes
#      the error pointer of a `check { … }` closure (`$0` or `e`) as its last argument,
#      so that no error object is dropped or leaked;
#   4. every `PINATA_…` constant used exists as a #define in the header;
#   5. every enum case annotated `case name = N // PINATA_X` has N equal to the header's
#      value of PINATA_X.
#   6. every header function whose name starts with a line of must_wrap.txt (beside this
#      script) is called or named by the Swift code: a family listed there is wrapped
#      whole, so a function added to it, or a wrapper dropped, fails here.
# It also lists the other header functions the wrapper does not call (information only).
# Exits non-zero on any failure. Needs bash and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
header=${1:-$here/../../include/pinata.h}
exec python3 - "$header" "$here" "$here/../../examples/swift" <<'PY'
import os, re, sys

header_path, *roots = sys.argv[1:]

# ---- the header -----------------------------------------------------------------------
with open(header_path, encoding="utf-8") as f:
    htext = f.read()
hcode = re.sub(r"/\*.*?\*/", " ", htext, flags=re.S)
hcode = re.sub(r"//[^\n]*", " ", hcode)

defines = {}
for m in re.finditer(r"^\s*#define\s+(PINATA_\w+)\b(.*)$", hcode, flags=re.M):
    value = m.group(2).strip()
    defines[m.group(1)] = int(value) if re.fullmatch(r"-?\d+", value) else value

functions = {}  # name -> list of parameter texts
for m in re.finditer(r"\b(pinata_\w+)\s*\(([^()]*)\)\s*;", hcode):
    params = " ".join(m.group(2).split())
    functions[m.group(1)] = [] if params in ("", "void") else [p.strip() for p in params.split(",")]
header_names = set(re.findall(r"\bpinata_\w+\b", hcode))

# ---- Swift sources: comments out, string literals replaced by S ---------------------
def strip_swift(src):
    out, i, n = [], 0, len(src)

    def string_at(i):
        """Consumes a string literal starting at i; returns (end, [interpolated code])."""
        hashes = 0
        while src[i] == "#":
            hashes += 1
            i += 1
        triple = src.startswith('"""', i)
        i += 3 if triple else 1
        close = ('"""' if triple else '"') + "#" * hashes
        pieces = []
        while i < n:
            if src.startswith(close, i):
                return i + len(close), pieces
            if src[i] == "\\" and src.startswith("#" * hashes, i + 1):
                j = i + 1 + hashes
                if j < n and src[j] == "(":
                    end, code = code_until_paren(j + 1)
                    pieces.append(code)
                    i = end
                    continue
                i = j + 1
                continue
            i += 1
        raise SystemExit("unterminated string literal")

    def code_until_paren(i):
        """Strips code from i up to its matching ')'; returns (index after it, code)."""
        depth, buf = 1, []
        while i < n:
            c = src[i]
            if c == '"' or (c == "#" and re.match(r'#+"', src[i:])):
                end, pieces = string_at(i)
                buf.append("S" + "".join("(" + p + ")" for p in pieces))
                i = end
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return i + 1, "".join(buf)
            buf.append(c)
            i += 1
        raise SystemExit("unbalanced interpolation")

    while i < n:
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if src.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    if src[i] == "\n":
                        out.append("\n")
                    i += 1
            continue
        c = src[i]
        if c == '"' or (c == "#" and re.match(r'#+"', src[i:])):
            end, pieces = string_at(i)
            out.append("S" + "".join("(" + p + ")" for p in pieces))
            out.append("\n" * src.count("\n", i, end))
            i = end
            continue
        out.append(c)
        i += 1
    return "".join(out)

def call_args(code, i):
    """Top-level arguments of the call whose '(' is at code[i]."""
    depth, args, cur = 0, [], []
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    while i < len(code):
        c = code[i]
        if c in pairs:
            stack.append(pairs[c])
            if len(stack) == 1:
                i += 1
                continue
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                args.append("".join(cur).strip())
                return [a for a in args if a] if args != [""] else []
        elif c == "," and len(stack) == 1:
            args.append("".join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    raise SystemExit("unbalanced call")

swift_files = []
for root in roots:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]  # .build, .swiftpm
        swift_files += [os.path.join(dirpath, f) for f in filenames if f.endswith(".swift")]
swift_files.sort()
if not swift_files:
    raise SystemExit("no Swift files found")

errors, used, calls_checked = [], set(), 0
for path in swift_files:
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    rel = os.path.relpath(path, os.path.dirname(os.path.dirname(roots[0])))
    code = strip_swift(raw)
    line_of = lambda pos: code.count("\n", 0, pos) + 1
    for m in re.finditer(r"\bpinata_\w+\b", code):
        name, where = m.group(0), f"{rel}:{line_of(m.start())}"
        if name not in header_names:
            errors.append(f"{where}: {name} is not in pinata.h")
            continue
        j = m.end()
        while j < len(code) and code[j] in " \t":
            j += 1
        if j < len(code) and code[j] == "(":
            if name not in functions:
                errors.append(f"{where}: {name} is called but is not a function of pinata.h")
                continue
            args = call_args(code, j)
            params = functions[name]
            calls_checked += 1
            used.add(name)
            if len(args) != len(params):
                errors.append(f"{where}: {name} takes {len(params)} arguments, called with {len(args)}")
            elif params and "pinata_error **" in params[-1].replace("pinata_error**", "pinata_error **"):
                if args[-1] not in ("$0", "e"):
                    errors.append(f"{where}: {name}: err_out must be the check {{}} closure's "
                                  f"pointer ($0 or e), not {args[-1]!r}")
        else:
            used.add(name)
    for m in re.finditer(r"\bPINATA_\w+\b", code):
        if m.group(0) not in defines:
            errors.append(f"{rel}:{line_of(m.start())}: {m.group(0)} is not #defined in pinata.h")
    for lineno, line in enumerate(raw.splitlines(), 1):
        m = re.search(r"\bcase\s+`?(\w+)`?\s*=\s*(-?\d+)\s*//\s*(PINATA_\w+)\b", line)
        if m:
            case, value, const = m.group(1), int(m.group(2)), m.group(3)
            if const not in defines:
                errors.append(f"{rel}:{lineno}: {const} is not #defined in pinata.h")
            elif defines[const] != value:
                errors.append(f"{rel}:{lineno}: case {case} = {value}, but {const} is {defines[const]}")

unused = sorted(set(functions) - used)
must_wrap = os.path.join(roots[0], "must_wrap.txt")
if os.path.exists(must_wrap):
    with open(must_wrap, encoding="utf-8") as f:
        prefixes = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    for prefix in prefixes:
        family = [n for n in functions if n.startswith(prefix)]
        if not family:
            errors.append(f"must_wrap.txt: no function of pinata.h starts with {prefix}")
        for name in sorted(set(family) - used):
            errors.append(f"{name} (must_wrap.txt: {prefix}) is not used by the Swift code")
print(f"check_symbols: {len(swift_files)} Swift files, {calls_checked} C calls checked, "
      f"{len(used & set(functions))} of {len(functions)} header functions used")
if unused:
    print("  not used by the Swift code: " + ", ".join(unused))
for e in errors:
    print("ERROR: " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
