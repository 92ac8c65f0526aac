"""Python `requests` with one Session, as a bench/run.sh contender.

    bench_requests.py auth URL JWT N
    bench_requests.py upload URL JWT FILE        files={"file": open(...)}: requests builds the
                                                 whole multipart body in memory
    bench_requests.py json URL JWT N THREADS     one Session shared by THREADS threads

Prints one JSON line {"secs": S, "n": N, ...}; exits non-zero on failure.
"""
import json
import os
import sys
import threading
import time

import requests


def main():
    mode, url, jwt = sys.argv[1], sys.argv[2], sys.argv[3]
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {jwt}"
    if mode == "auth":
        n = int(sys.argv[4])
        t0 = time.perf_counter()
        for _ in range(n):
            r = s.get(f"{url}/data/testAuthentication")
            r.raise_for_status()
            r.json()
        print(json.dumps({"secs": time.perf_counter() - t0, "n": n}))
    elif mode == "upload":
        path = sys.argv[4]
        t0 = time.perf_counter()
        with open(path, "rb") as f:
            r = s.post(f"{url}/pinning/pinFileToIPFS", files={"file": (os.path.basename(path), f)})
        r.raise_for_status()
        cid = r.json()["IpfsHash"]
        print(json.dumps({"secs": time.perf_counter() - t0, "n": 1, "cid": cid}))
    elif mode == "json":
        n, threads = int(sys.argv[4]), max(1, int(sys.argv[5]))
        errors = []

        def work(w, count):
            try:
                for i in range(count):
                    doc = {"pinataContent": {"bench": "requests", "thread": w, "i": i,
                                             "text": "a small JSON document"},
                           "pinataMetadata": {"name": "json"}}
                    r = s.post(f"{url}/pinning/pinJSONToIPFS", json=doc)
                    r.raise_for_status()
                    r.json()
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        counts = [n // threads + (1 if w < n % threads else 0) for w in range(threads)]
        t0 = time.perf_counter()
        if threads == 1:
            work(0, n)
        else:
            ts = [threading.Thread(target=work, args=(w, c)) for w, c in enumerate(counts)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
        secs = time.perf_counter() - t0
        if errors:
            print(f"bench_requests: {errors[0]}", file=sys.stderr)
            sys.exit(1)
        print(json.dumps({"secs": secs, "n": n, "threads": threads}))
    else:
        sys.exit(2)


if __name__ == "__main__":
    main()
