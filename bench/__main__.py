"""Run every benchmark in turn (`make bench`); each writes its section of BENCHMARKS.md, MODELS.md or RELIABILITY.md."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = [
    "ingest", "suite", "ablate", "fit.support_judge", "contradictions", "golden", "latency", "ui_latency", "pubmedqa.run",
    "condense", "peer", "reliability.hostile", "reliability.load", "reliability.scale", "reliability.upload",
]


def main() -> int:
    names = sys.argv[1:] or BENCHMARKS
    sys.argv = sys.argv[:1]  # each benchmark reads its own options: none here, so its defaults
    for name in names:
        print(f"== bench.{name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
