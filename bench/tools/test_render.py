"""Tests of render.py's Targets table: every target is always listed, and a verdict (met /
missed) is given only for whole measurements. Runs render.py on the committed
bench/results/ and on doctored copies of it. Standard library only:

    python3 -m unittest discover -s bench/tools -p 'test_*.py'
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(TOOLS))
RESULTS = os.path.join(ROOT, "bench", "results")
# The targets a full run lists, in order: section a, b at 1 GiB and 4 GiB, then issue 17's
# seven (§1 from verify.jsonl, §2 from tables a and c, §3 from table b, §4 from batch.jsonl).
EXPECTED_TARGETS = 17


def read(path):
    with open(path) as f:
        return f.read()


def targets_of(markdown):
    """The Targets table of a rendered BENCHMARKS.md: {target: (result, value)}."""
    section = markdown.split("\n## Targets\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"^\| (.+?) \| (.+?) \| (.*?) \|$", line)
        if m and m.group(1) not in ("target", "---"):
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def render_files(doctor=None, doctor_dir=None):
    """Renders a copy of bench/results/ after `doctor(runs, meta)` edits it in place, and
    `doctor_dir(results)` the copy's other files (batch.jsonl, verify.jsonl, ...), with a
    copy of README.md. Returns (BENCHMARKS.md, README.md) as rendered."""
    with tempfile.TemporaryDirectory() as tmp:
        results = os.path.join(tmp, "results")
        shutil.copytree(RESULTS, results)
        runs_path, meta_path = os.path.join(results, "runs.jsonl"), os.path.join(results, "meta.json")
        runs = [json.loads(l) for l in read(runs_path).splitlines() if l.strip()]
        meta = json.loads(read(meta_path))
        if doctor:
            doctor(runs, meta)
        with open(runs_path, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in runs)
        with open(meta_path, "w") as f:
            json.dump(meta, f)
        if doctor_dir:
            doctor_dir(results)
        out, readme = os.path.join(tmp, "BENCHMARKS.md"), os.path.join(tmp, "README.md")
        shutil.copy(os.path.join(ROOT, "README.md"), readme)
        subprocess.run([sys.executable, os.path.join(TOOLS, "render.py"), results, out,
                        os.path.join(tmp, "growth.png"), readme], check=True, capture_output=True)
        return read(out), read(readme)


def render(doctor=None, doctor_dir=None):
    """The Targets table of `render_files(doctor, doctor_dir)`."""
    return targets_of(render_files(doctor, doctor_dir)[0])


def summary_of(readme):
    """The README's generated performance summary, as one line."""
    block = readme.split("<!-- performance summary:", 1)[1].split("-->", 1)[1]
    return " ".join(block.split("<!-- end of performance summary -->", 1)[0].split())


def rows(runs, row, section="upload"):
    return [r for r in runs if r["section"] == section and r["row"] == row]


THROUGHPUT_1G = "b. 1 GiB upload, verification off: libpinata ≥ 0.95× curl CLI throughput"
RSS_1G_OFF = "b. 1 GiB upload, off: libpinata peak RSS ≤ 32 MiB"
RSS_1G_V0 = "b. 1 GiB upload, v0: libpinata peak RSS ≤ 32 MiB"
RSS_4G_V1 = "b. 4 GiB upload, v1: libpinata peak RSS ≤ 32 MiB"
CALLS_SAME = "a. per call, same core: libpinata's time per call ≤ 1.05× raw libcurl's (calls/s ≥ 0.9524×)"
BATCH_RAW = "§4. 1,000 files of 64 KiB, 8 in flight: `pinata_pin_batch` ≥ 0.9× a raw libcurl multi loop (table f)"
BATCH_NPM = "§4. The same batch: `pinata_pin_batch` ≥ 10× npm `pinata` with its own concurrency (table f)"
VERIFY_V1 = "§1. 1 GiB upload, v1 verified, profile learned: ≥ 0.9× verified v0 (table g)"
VERIFY_HASH = "§1. 1 GiB upload, v0 verified: ≥ 0.9× `pinata_cid_of_path` v0 on one thread (table g)"
GO_JSON = "§2. Go binding, 8 goroutines on one `Client`: JSON pins/s ≥ 0.8× raw libcurl's 8 threads (table c)"


def edit_jsonl(path, edit):
    """Rewrites a JSON-lines file with `edit(records)` applied in place."""
    records = [json.loads(l) for l in read(path).splitlines() if l.strip()]
    edit(records)
    with open(path, "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)


def at_speed(name, row, base, speed):
    """A `doctor_dir` that times each run of `row` in results file `name` at `speed` times
    the throughput of `base`'s run of the same round."""
    def doctor_dir(results):
        def edit(records):
            base_secs = {r["run"]: r["secs"] for r in records if r["row"] == base}
            for r in records:
                if r["row"] == row:
                    r["secs"] = base_secs[r["run"]] / speed
        edit_jsonl(os.path.join(results, name), edit)
    return doctor_dir


class RenderTargets(unittest.TestCase):
    def test_committed_results_give_the_committed_verdicts(self):
        committed = targets_of(read(os.path.join(ROOT, "BENCHMARKS.md")))
        rendered = render()
        self.assertEqual(len(rendered), EXPECTED_TARGETS)
        self.assertEqual(rendered, committed)
        # The committed runs are whole, so each target has a verdict. Whether it is met
        # is the measurement's business (BENCHMARKS.md), not a test's: a test that fails
        # on a missed target would make CI depend on wall-clock noise.
        self.assertTrue(
            all(result in ("met", "**missed**") for result, _ in rendered.values()), rendered
        )

    def test_a_failed_run_makes_its_targets_incomplete(self):
        def doctor(runs, meta):
            r = rows(runs, "1024/libpinata-off")[0]
            r["failed"], r["error"] = True, "timed out"
            del r["secs"]
        t = render(doctor)
        self.assertEqual(len(t), EXPECTED_TARGETS)
        # 7 runs each of libpinata-off and curl-cli; one failed.
        self.assertEqual(t[THROUGHPUT_1G][0], "**incomplete (1 of 14 runs failed)**")
        self.assertIn("from the surviving runs only", t[THROUGHPUT_1G][1])
        self.assertEqual(t[RSS_1G_OFF][0], "**incomplete (1 of 7 runs failed)**")
        self.assertEqual(t[RSS_1G_V0][0], "met")

    def test_one_surviving_run_is_not_met(self):
        def doctor(runs, meta):
            for r in rows(runs, "1024/libpinata-v0")[1:]:
                r["failed"] = True
        result = render(doctor)[RSS_1G_V0][0]
        self.assertEqual(result, "**incomplete (6 of 7 runs failed)**")

    def test_a_missing_measurement_is_listed_as_not_measured(self):
        def doctor(runs, meta):
            runs[:] = [r for r in runs if r["row"] != "4096/libpinata-v1"]
        t = render(doctor)
        self.assertEqual(len(t), EXPECTED_TARGETS)
        self.assertEqual(t[RSS_4G_V1], ("**not measured**", "no runs of upload 4096/libpinata-v1"))

    def test_a_run_without_the_compared_value_is_incomplete(self):
        def doctor(runs, meta):
            del rows(runs, "1024/libpinata-v0")[2]["rss_kib"]
        self.assertEqual(render(doctor)[RSS_1G_V0][0],
                         "**incomplete (1 of 7 runs recorded no `rss_kib`)**")

    def test_too_few_runs_give_no_verdict(self):
        def doctor(runs, meta):
            keep = rows(runs, "same/libpinata", "calls")[:2]
            runs[:] = [r for r in runs if r["row"] != "same/libpinata" or r in keep]
        self.assertEqual(render(doctor)[CALLS_SAME][0], "**incomplete (2 runs, at least 3 needed)**")

    def test_a_target_beyond_its_limit_is_missed(self):
        def doctor(runs, meta):
            for r in rows(runs, "1024/libpinata-off"):
                r["rss_kib"] = 40 * 1024
        self.assertEqual(render(doctor)[RSS_1G_OFF], ("**missed**", "40.0 MiB"))

    def test_quick_runs_are_labelled(self):
        def doctor(runs, meta):
            meta["quick"] = True
            for e in meta["runs"]:
                e["quick"] = True
        t = render(doctor)
        self.assertEqual(len(t), EXPECTED_TARGETS)
        for name, (result, _) in t.items():
            self.assertTrue(result.endswith("(quick run: not the reference sizes)"), (name, result))

    def test_a_failed_batch_run_makes_both_batch_targets_incomplete(self):
        def doctor_dir(results):
            def fail_one(records):
                r = next(r for r in records if r["row"] == "libpinata-off")
                r["failed"] = True
                del r["secs"]
            edit_jsonl(os.path.join(results, "batch.jsonl"), fail_one)
        t = render(doctor_dir=doctor_dir)
        self.assertEqual(len(t), EXPECTED_TARGETS)
        self.assertEqual(t[BATCH_RAW][0], "**incomplete (1 of 10 runs failed)**")
        self.assertEqual(t[BATCH_NPM][0], "**incomplete (1 of 10 runs failed)**")

    def test_a_slower_batch_misses_its_target_by_the_ratio_of_medians(self):
        doctor_dir = at_speed("batch.jsonl", "libpinata-off", "raw-multi", 0.5)
        self.assertEqual(render(doctor_dir=doctor_dir)[BATCH_RAW], ("**missed**", "0.50× raw libcurl multi"))

    def test_a_miss_just_under_the_floor_does_not_read_as_the_floor(self):
        just_under = at_speed("verify.jsonl", "libpinata-v0", "cid-v0", 0.898)
        self.assertEqual(render(doctor_dir=just_under)[VERIFY_HASH],
                         ("**missed**", "0.898× `pinata_cid_of_path`"))

    def test_without_verify_results_the_hashing_targets_are_not_measured(self):
        t = render(doctor_dir=lambda results: os.remove(os.path.join(results, "verify.jsonl")))
        self.assertEqual(len(t), EXPECTED_TARGETS)
        self.assertEqual(t[VERIFY_V1], ("**not measured**",
                                        "no runs of verify libpinata-v1-learned, verify libpinata-v0"))
        self.assertEqual(t[VERIFY_HASH][0], "**not measured**")

    def test_the_go_workers_target_compares_pin_rates_not_run_times(self):
        # Go's rows pinning twice the documents in twice the time have raw libcurl's rate.
        def doctor(runs, meta):
            raw = {r["run"]: r for r in rows(runs, "8/raw-curl", "json")}
            for r in rows(runs, "8/go", "json"):
                r["n"], r["secs"] = 2 * raw[r["run"]]["n"], 2 * raw[r["run"]]["secs"]
        self.assertEqual(render(doctor)[GO_JSON], ("met", "1.00× raw libcurl"))


class RenderSummary(unittest.TestCase):
    """The performance summary BENCHMARKS.md opens with, and README.md repeats."""

    def test_the_committed_readme_has_the_summary_of_the_committed_results(self):
        benchmarks, readme = render_files()
        self.assertEqual(readme, read(os.path.join(ROOT, "README.md")),
                         "README.md's performance summary is stale: run bench/tools/render.py")
        summary = summary_of(readme)
        self.assertIn(summary, " ".join(benchmarks.split("\n## Summary\n", 1)[1].split("\n## ", 1)[0].split()))
        # Every section of a full run is summarised.
        for words in ("`pinFileToIPFS` upload", "Sequential `testAuthentication` calls", "Small JSON pins",
                      "`pinata_pin_batch`", "The Go binding's", "`bench/go_floor.sh`'s rounds", "Local CIDs",
                      "Verified downloads", "Targets:"):
            self.assertIn(words, summary)

    def test_the_summary_follows_the_results(self):
        def slower(runs, meta):
            cli = {r["run"]: r["secs"] for r in rows(runs, "1024/curl-cli")}
            for r in rows(runs, "1024/libpinata-off"):
                r["secs"] = 2 * cli[r["run"]]
        summary = summary_of(render_files(slower)[1])
        before = summary_of(read(os.path.join(ROOT, "README.md")))
        self.assertNotEqual(summary, before)
        self.assertIn("(0.50x `curl -F`,", summary)
        self.assertRegex(summary, r"missed: [^(]*b\. 1 GiB upload, verification off")

    def test_what_was_not_measured_is_left_out(self):
        def no_batch(results):
            os.remove(os.path.join(results, "batch.jsonl"))
        summary = summary_of(render_files(doctor_dir=no_batch)[1])
        self.assertNotIn("`pinata_pin_batch`", summary)
        self.assertIn("Local CIDs", summary)

    def test_a_quick_run_counts_its_verdicts(self):
        def quick(runs, meta):
            meta["quick"] = True
            for e in meta["runs"]:
                e["quick"] = True
        summary = summary_of(render_files(quick)[1])
        full = summary_of(read(os.path.join(ROOT, "README.md")))
        self.assertIn("quick mode", summary)
        # The same verdicts, with the quick-run suffix: the same counts and the same misses.
        self.assertEqual(summary.split("Targets: ", 1)[1], full.split("Targets: ", 1)[1])

    def test_results_of_a_separate_run_say_so(self):
        def stamp(at):
            def doctor_dir(results):
                def edit(records):
                    for r in records:
                        r["at"] = at
                edit_jsonl(os.path.join(results, "download.jsonl"), edit)
            return doctor_dir
        meta = json.loads(read(os.path.join(RESULTS, "meta.json")))
        inside = summary_of(render_files(doctor_dir=stamp(meta["finished"] - 60))[1])
        self.assertIn("Verified downloads run at", inside)
        later = summary_of(render_files(doctor_dir=stamp(meta["finished"] + 3600))[1])
        self.assertRegex(later, r"Verified downloads \(a separate run of `bench/download.sh`, "
                                r"\d{4}-\d\d-\d\d \d\d:\d\d UTC\) run at")

    def test_a_readme_without_the_markers_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            readme = os.path.join(tmp, "README.md")
            with open(readme, "w") as f:
                f.write("# no summary here\n")
            run = subprocess.run([sys.executable, os.path.join(TOOLS, "render.py"), RESULTS,
                                  os.path.join(tmp, "B.md"), os.path.join(tmp, "g.png"), readme],
                                 capture_output=True, text=True)
            self.assertNotEqual(run.returncode, 0)
            self.assertIn("marker", run.stderr)
            self.assertEqual(read(readme), "# no summary here\n")


if __name__ == "__main__":
    unittest.main()
