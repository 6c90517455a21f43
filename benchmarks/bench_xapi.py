#!/usr/bin/env python3
"""lien's xAPI reader against Python's json module, on the same generated NDJSON file, in the same run.

The C++ side (bench_xapi) parses, validates and maps every statement to an event in a CohortBuilder. The Python
peer does the same mapping with json.loads per line: actor, verb and object ids to integer codes, timestamp
to int64 milliseconds, verb IRI to lien's verb code, score, success, completion and duration to columns. Both
are timed in CPU seconds (the machine may be shared), best of --repeat runs.

    python3 benchmarks/bench_xapi.py --binary build/benchmarks/bench_xapi            # 1 GB
    python3 benchmarks/bench_xapi.py --binary build/benchmarks/bench_xapi --quick    # 100 MB

Goals (issue 2): lien >= 300 MB/s on one core, >= 10x the Python peer.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from array import array
from datetime import datetime

# lien verb codes (kVerbNames order) for the IRIs the generated file uses, as src/io/xapi_vocabulary.cpp maps them.
VERB_CODES = {
    "http://id.tincanapi.com/verb/viewed": 2,
    "https://w3id.org/xapi/video/verbs/played": 2,
    "https://w3id.org/xapi/video/verbs/paused": 2,
    "http://adlnet.gov/expapi/verbs/launched": 0,
    "http://adlnet.gov/expapi/verbs/initialized": 1,
    "http://adlnet.gov/expapi/verbs/completed": 5,
    "https://w3id.org/xapi/acrossx/verbs/evaluated": 4,
    "http://adlnet.gov/expapi/verbs/passed": 6,
    "http://adlnet.gov/expapi/verbs/failed": 7,
    "https://w3id.org/xapi/acrossx/verbs/posted": 10,
    "http://id.tincanapi.com/verb/replied": 11,
}
OTHER = 14
DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def duration_seconds(text):
    m = DURATION.match(text)
    if not m:
        raise ValueError("bad duration")
    d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


def python_peer(path):
    """json.loads per line and the mapping to columns; returns (statements, events, CPU seconds)."""
    loads, fromiso, nan = json.loads, datetime.fromisoformat, math.nan
    people, objects = {}, {}
    learner, time_ms, verb, obj = array("I"), array("q"), array("B"), array("I")
    score, duration, flags = array("f"), array("f"), array("B")
    statements = 0
    t0 = time.process_time()
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            statements += 1
            st = loads(line)
            actor = st["actor"]
            account = actor.get("account")
            key = account["name"] if account else (actor.get("mbox") or actor.get("mbox_sha1sum") or actor.get("openid"))
            code = people.get(key)
            if code is None:
                code = people[key] = len(people)
            learner.append(code)
            oid = st["object"]["id"]
            code = objects.get(oid)
            if code is None:
                code = objects[oid] = len(objects)
            obj.append(code)
            verb.append(VERB_CODES.get(st["verb"]["id"], OTHER))
            stamp = st.get("timestamp") or st["stored"]
            time_ms.append(int(fromiso(stamp).timestamp() * 1000))
            result = st.get("result")
            s, d, fl = nan, nan, 0
            if result:
                sc = result.get("score")
                if sc:
                    s = sc.get("scaled", nan)
                    if s is nan and "raw" in sc and "min" in sc and "max" in sc and sc["max"] > sc["min"]:
                        s = (sc["raw"] - sc["min"]) / (sc["max"] - sc["min"])
                if "success" in result:
                    fl |= 2 if result["success"] else 1
                if "completion" in result:
                    fl |= 8 if result["completion"] else 4
                if "duration" in result:
                    d = duration_seconds(result["duration"])
            score.append(s)
            duration.append(d)
            flags.append(fl)
    return statements, len(learner), time.process_time() - t0


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.environ.get("LIEN_BENCH_XAPI", "build/benchmarks/bench_xapi"),
                        help="the bench_xapi executable (LIEN_BENCH_XAPI)")
    parser.add_argument("--size", type=int, default=1024, help="file size in MB (default 1024)")
    parser.add_argument("--quick", action="store_true", help="100 MB")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each reader, best taken (default 3)")
    parser.add_argument("--file", help="an existing NDJSON file instead of the generated one")
    args = parser.parse_args()
    size = 100 if args.quick else args.size
    if not os.path.exists(args.binary):
        sys.exit(f"bench_xapi.py: {args.binary} not found (build with -DLIEN_BUILD_BENCHMARKS=ON, or pass --binary)")
    common = [args.binary, "--size", str(size), "--seed", str(args.seed)] + (["--file", args.file] if args.file else [])
    path = run(common + ["--generate-only", "--json"])["file"]
    cpp = run(common + ["--file", path, "--json", "--repeat", str(args.repeat)])
    # The same methodology on both sides: best of --repeat runs, in CPU seconds.
    runs = [python_peer(path) for _ in range(args.repeat)]
    statements, events = runs[0][0], runs[0][1]
    py_seconds = min(r[2] for r in runs)
    mb = cpp["bytes"] / (1 << 20)
    py_mbs = mb / py_seconds
    print(f"xAPI NDJSON: {path}, {mb:.1f} MB, {cpp['statements']} statements "
          f"({cpp['bytes'] / max(1, cpp['statements']):.0f} bytes each); CPU seconds")
    print(f"  lien read_xapi     {cpp['read_seconds']:8.3f} s  {cpp['mb_per_s']:8.1f} MB/s  "
          f"{cpp['statements_per_s']:10.0f} statements/s  ({cpp['events']:.0f} events, "
          f"{cpp['bytes_per_event']:.2f} bytes/event in memory; build {cpp['build_seconds']:.3f} s)")
    print(f"  Python json.loads  {py_seconds:8.3f} s  {py_mbs:8.1f} MB/s  {statements / py_seconds:10.0f} statements/s"
          f"  ({events} events)")
    ratio = py_seconds / cpp["read_seconds"]
    print(f"  ratio lien / Python: {ratio:.1f}x   (goal >= 10x: {'met' if ratio >= 10 else 'MISSED'})")
    print(f"  lien throughput: {cpp['mb_per_s']:.0f} MB/s   (goal >= 300 MB/s: "
          f"{'met' if cpp['mb_per_s'] >= 300 else 'MISSED'})")
    if statements != cpp["statements"] or events != cpp["events"]:
        sys.exit(f"bench_xapi.py: the two readers disagree ({statements} vs {cpp['statements']} statements, "
                 f"{events} vs {cpp['events']:.0f} events)")


if __name__ == "__main__":
    main()
