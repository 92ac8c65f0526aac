"""Summarizes the callgrind runs of bench/run.sh as markdown (bench/results/profile.md).

    cgsummary.py DIR CALLS JSON_CALLS UPLOAD_BYTES

DIR holds callgrind outputs named pinata.auth.N, pinata.auth.0, curl.auth.N, curl.auth.0,
curl-ua.auth.N, curl-ua.auth.0 (optional: raw libcurl with libpinata's User-Agent line),
pinata.json.N, pinata.json.0, curl.json.N, curl.json.0, curl.upload, pinata.upload.{off,v0,v1}.
Per-call costs are (run with N calls - run with 0 calls) / N, so start-up is excluded.
Instruction counts (Ir) are user-space only: the kernel's share (syscalls, loopback TCP)
is not in them.
"""
import os
import re
import subprocess
import sys

LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(\*|>|<)?\s*(.*)$")


def annotate(path, *args):
    out = subprocess.run(["callgrind_annotate", "--threshold=100", *args, path],
                         capture_output=True, text=True, check=False).stdout
    return out


def short(name):
    name = re.sub(r"\[/[^\]]*/([^/\]]+)\]", r"[\1]", name)
    name = re.sub(r"^\?\?\?:", "", name)
    name = re.sub(r"^\./[^:]*:", "", name)
    return name.strip()


def flat(path, inclusive):
    """function -> Ir (exclusive or inclusive)."""
    d = {}
    txt = annotate(path, "--inclusive=yes" if inclusive else "--inclusive=no")
    started = False
    for line in txt.splitlines():
        if "file:function" in line:
            started = True
            continue
        if not started:
            continue
        m = LINE.match(line)
        if m:
            k = short(m.group(3))
            d[k] = d.get(k, 0) + int(m.group(1).replace(",", ""))
    return d


def total(path):
    txt = annotate(path)
    m = re.search(r"([\d,]+) \(100\.0+%\)\s+PROGRAM TOTALS", txt)
    return int(m.group(1).replace(",", "")) if m else 0


def callees(path):
    """function -> list of (Ir inclusive, callee, calls) from the calling tree."""
    txt = annotate(path, "--tree=calling", "--inclusive=yes")
    tree, cur = {}, None
    for line in txt.splitlines():
        m = LINE.match(line)
        if not m:
            if not line.strip():
                cur = None
            continue
        ir, mark, rest = int(m.group(1).replace(",", "")), m.group(2), m.group(3)
        if mark == "*":
            cur = short(rest)
            tree.setdefault(cur, [])
        elif mark == ">" and cur is not None:
            mm = re.match(r"(.*?) \(([\d,]+)x\)\s*(\[.*\])?$", rest)
            if mm:
                tree[cur].append((ir, short(mm.group(1) + " " + (mm.group(3) or "")),
                                  int(mm.group(2).replace(",", ""))))
    return tree


def find(tree, needle):
    for k in tree:
        if needle in k:
            return k
    return None


def per_call_section(d, kind, n, label):
    out = []
    a, a0 = os.path.join(d, f"pinata.{kind}.N"), os.path.join(d, f"pinata.{kind}.0")
    b, b0 = os.path.join(d, f"curl.{kind}.N"), os.path.join(d, f"curl.{kind}.0")
    if not all(os.path.exists(p) for p in (a, a0, b, b0)):
        return [f"({label}: callgrind runs missing)"]
    pa = (total(a) - total(a0)) / n
    pb = (total(b) - total(b0)) / n
    out.append(f"**{label}**: libpinata {pa:,.0f} instructions per call, raw libcurl {pb:,.0f} "
               f"(× {pa / pb:.2f}; +{pa - pb:,.0f} per call).")
    c, c0 = os.path.join(d, f"curl-ua.{kind}.N"), os.path.join(d, f"curl-ua.{kind}.0")
    if os.path.exists(c) and os.path.exists(c0):
        pc = (total(c) - total(c0)) / n
        out.append(f"Raw libcurl sending libpinata's exact header list (its `User-Agent` line added): "
                   f"{pc:,.0f} per call, so the line alone costs libcurl {pc - pb:,.0f}; libpinata is "
                   f"× {pa / pc:.2f} of that loop (+{pa - pc:,.0f} per call).")
    out.append("")
    # Inclusive cost of the steps of libpinata's call path, per call.
    tree = callees(a)
    shown = set()
    rows = []
    for fn in ("pinata::transport::Transport::execute", "pinata::transport::Transport::attempt",
               "pinata::transport::Transport::configure_and_perform",
               "pinata::transport::Transport::configure ", "pinata::transport::Transport::finish",
               "pinata::client::Client::send ", "pinata::client::Client::send_json",
               "test_authentication", "pinata::pinning::<impl pinata::client::Client>::pin_json",
               "curl::easy::handler::Easy2<H>::perform"):
        k = find(tree, fn)
        if not k or k in shown:
            continue
        shown.add(k)
        for ir, callee, calls in sorted(tree[k], reverse=True):
            per = ir / n
            if per < 150:
                continue
            rows.append((k, callee, per, calls / n))
    if rows:
        out.append("Where libpinata's call goes (inclusive instructions per call, by caller → callee):")
        out.append("")
        out.append("| caller | callee | Ir per call | calls per call |")
        out.append("|---|---|---:|---:|")
        for k, callee, per, cpc in rows:
            out.append(f"| `{k[:70]}` | `{callee[:90]}` | {per:,.0f} | {cpc:.1f} |")
        out.append("")
    # Selected functions anywhere in the call (inclusive, per call): the header callback
    # runs inside curl_easy_perform, so it does not show in the table above.
    ia, ia0 = flat(a, True), flat(a0, True)
    sel = []
    # A handle is reset and reconfigured (curl_easy_reset, default_configure, List::append)
    # only when the client settings change or around uploads: near 0 on this path.
    for needle in ("curl::easy::handler::header_cb", "Handler>::header", "curl_easy_reset",
                   "Easy2<H>::default_configure", "curl::easy::list::List::append",
                   "pinata::transport::Slot::set_url", "pinata::transport::Slot::set_method",
                   "pinata::transport::Slot::set_headers", "pinata::transport::Response::json",
                   "pinata::pinning::parse_pin_answer", "serde_json::de::from_trait",
                   "pinata::transport::Transport::checkin", "pinata::ffi::guard", "curl_easy_perform"):
        k = next((k for k in ia if needle in k), None)
        if k:
            sel.append((k, (ia[k] - ia0.get(k, 0)) / n))
    if sel:
        out.append("Selected functions, inclusive instructions per call:")
        out.append("")
        out.append("| function | Ir per call | share of libpinata's call |")
        out.append("|---|---:|---:|")
        for k, per in sel:
            out.append(f"| `{k[:100]}` | {per:,.0f} | {per / pa:.1%} |")
        out.append("")
    # Exclusive difference, function by function.
    ea, ea0, eb, eb0 = flat(a, False), flat(a0, False), flat(b, False), flat(b0, False)
    diff = []
    for k in set(ea) | set(eb):
        x = (ea.get(k, 0) - ea0.get(k, 0)) / n
        y = (eb.get(k, 0) - eb0.get(k, 0)) / n
        diff.append((x - y, x, y, k))
    diff.sort(reverse=True)
    out.append("Largest exclusive differences (libpinata − raw libcurl, instructions per call; "
               "libcurl is stripped, so its internal functions show as addresses):")
    out.append("")
    out.append("| function | libpinata | raw libcurl | difference |")
    out.append("|---|---:|---:|---:|")
    for dd, x, y, k in diff[:15]:
        out.append(f"| `{k[:110]}` | {x:,.0f} | {y:,.0f} | {dd:+,.0f} |")
    out.append("")
    return out


def upload_section(d, nbytes):
    out = []
    mib = nbytes / (1 << 20)
    rows = []
    for name, label in (("curl.upload", "raw libcurl (curl_mime, 2 MiB buffer)"),
                        ("pinata.upload.off", "libpinata, verification off"),
                        ("pinata.upload.v0", "libpinata, verification on, v0"),
                        ("pinata.upload.v1", "libpinata, verification on, v1")):
        p = os.path.join(d, name)
        if os.path.exists(p):
            rows.append((label, total(p), p))
    if not rows:
        return ["(upload callgrind runs missing)"]
    out.append(f"**Upload of a {mib:.0f} MiB file** (whole process, user space only):")
    out.append("")
    out.append("| client | instructions | per MiB sent | top functions (share of the process) |")
    out.append("|---|---:|---:|---|")
    for label, t, p in rows:
        ex = flat(p, False)
        top = sorted(ex.items(), key=lambda kv: -kv[1])[:4]
        tops = "; ".join(f"`{k[:60]}` {v / t:.0%}" for k, v in top)
        out.append(f"| {label} | {t:,} | {t / mib:,.0f} | {tops} |")
    out.append("")
    out.append("Under valgrind the CPU reports no SHA extensions, so `sha2` runs its portable code: the "
               "verification rows' instruction counts overstate the hashing cost several times over "
               "(the upload tables give its real price). With verification off, libpinata's user-space "
               "work per byte is negligible: the bytes move in the kernel (read, send).")
    out.append("")
    return out


def main():
    d, calls, json_calls, nbytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    lines = ["Instruction counts from `valgrind --tool=callgrind` (deterministic; user space only).", ""]
    lines += per_call_section(d, "auth", calls, f"testAuthentication ({calls} calls)")
    lines += per_call_section(d, "json", json_calls, f"pinJSONToIPFS, verification off ({json_calls} calls)")
    lines += upload_section(d, nbytes)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
