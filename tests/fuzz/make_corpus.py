#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz) into a build directory.

Seeds come from examples/ and tests/data: every small fixture as is, and the first records of the big ones
(a fuzzer learns nothing more from the 5 000th row than from the 50th, and small seeds run faster).
Usage: make_corpus.py SOURCE_DIR OUT_DIR
"""
import hashlib
import pathlib
import sys

TABLES = ["learners", "stakeholders", "relations", "paths", "steps", "prerequisites", "enrolments", "events"]
MAX_LINES = 40
MAX_BYTES = 16 * 1024


def head(data: bytes, lines: int = MAX_LINES) -> bytes:
    out = b"\n".join(data.split(b"\n")[:lines])
    return out[:MAX_BYTES]


def put(out_dir: pathlib.Path, data: bytes) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main() -> None:
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    data = src / "tests" / "data"
    csv_dirs = [p for p in (data / "csv").iterdir() if p.is_dir()] + [src / "examples" / "data" / "managers-2027",
                                                                       data / "xapi" / "csv-mini"]
    for d in sorted(csv_dirs):
        for i, table in enumerate(TABLES):
            f = d / f"{table}.csv"
            if f.exists():
                put(out / "csv", bytes([i]) + head(f.read_bytes()))
        cal = d / "calendar.json"
        if cal.exists():
            put(out / "csv", bytes([len(TABLES)]) + cal.read_bytes()[:MAX_BYTES])

    xapi = sorted((data / "xapi").glob("*.ndjson")) + sorted((data / "xapi").glob("*.json"))
    xapi += sorted((data / "xapi" / "csv-mini").glob("statements*"))
    xapi.append(src / "examples" / "data" / "managers-2027.ndjson")
    for f in xapi:
        text = f.read_bytes()
        if f.suffix == ".ndjson":
            text = head(text, 12)
        elif len(text) > MAX_BYTES:
            continue  # a JSON array cut short is no longer an array: only small ones are seeds
        for flags in range(4):  # strict x with tables
            put(out / "xapi", bytes([flags]) + text)

    for f in sorted((data / "models").glob("*.json")):
        if "expected" not in f.name:
            put(out / "model", f.read_bytes())

    put(out / "playbook", (src / "data" / "playbook.json").read_bytes())
    for f in sorted((data).rglob("*playbook*.json")):
        put(out / "playbook", f.read_bytes())


if __name__ == "__main__":
    main()
