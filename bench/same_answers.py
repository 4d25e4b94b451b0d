"""Did two runs of the dev suite answer alike? `python -m bench.same_answers LABEL_A LABEL_B [SET ...]`.

What it does: reads the outcomes `bench.suite --label LABEL` kept for each set
(`.bench-index/suite-LABEL-SET.jsonl`; the label of a run without one is `main`) and compares them
case by case: the answer, its sources, refused, hit, doc_hit and everything else the suite keeps,
except the time it took. Prints one line per set (cases, how many differ) and the first
differences; exits 1 when any case differs. A refactoring that should not change behaviour is
checked by running the suite before and after it with two labels.
What it does not: run the suite (see `bench.suite`) or judge which run is better.
"""

from __future__ import annotations

import argparse
import json
import sys

from bench.data.devsets import CACHE, SETS

IGNORED = ("ms",)  # wall-clock time differs from run to run


def outcomes(label: str, name: str) -> list[dict]:
    path = CACHE / f"suite-{label}-{name}.jsonl"
    if not path.exists():
        raise SystemExit(f"no outcomes at {path}: run `python -m bench.suite {name} --label {label}` first")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{key: value for key, value in row.items() if key not in IGNORED} for row in rows]


def differences(first: list[dict], second: list[dict]) -> list[str]:
    """One line per case whose outcome differs (or that only one run has)."""
    by_id = {row["id"]: row for row in second}
    lines = []
    for row in first:
        other = by_id.pop(row["id"], None)
        if other is None:
            lines.append(f"{row['id']}: only in the first run")
        elif other != row:
            changed = sorted(key for key in row.keys() | other.keys() if row.get(key) != other.get(key))
            lines.append(f"{row['id']}: {', '.join(changed)}")
    return lines + [f"{case}: only in the second run" for case in by_id]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first")
    parser.add_argument("second")
    parser.add_argument("sets", nargs="*", default=list(SETS))
    args = parser.parse_args(argv)
    total = differing = 0
    for name in args.sets:
        first = outcomes(args.first, name)
        lines = differences(first, outcomes(args.second, name))
        total, differing = total + len(first), differing + len(lines)
        print(f"{name}: {len(first)} cases, {len(lines)} differ")
        for line in lines[:5]:
            print(f"  {line}")
    print(f"all: {total} cases, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
