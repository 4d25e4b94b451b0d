"""Command line: `python -m ingest [PATH ...] [--index DIR] [--rebuild] [--json]`.

What it does: parses arguments, runs the pipeline with a progress bar on stderr, and prints a
one-line summary (or, with `--json`, the report as one JSON object). Exit code 0 on success, 2 on a
usage error, a missing path or an index that must be rebuilt.
What it does not: any ingest logic of its own.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ingest.manifest import ManifestError
from ingest.offline import ModelNotInstalled
from ingest.pipeline import run_ingest
from ingest.settings import IngestSettings
from ingest.store import IndexMismatch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Build or update the quoteqa index.")
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders to ingest (default: the corpus folder)")
    parser.add_argument("--index", type=Path, help="index folder (default: $QUOTEQA_INDEX or .index)")
    parser.add_argument("--rebuild", action="store_true", help="delete the index and build it anew")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    overrides = {"index": args.index} if args.index else {}
    settings = IngestSettings(**overrides)
    paths = args.paths or [settings.corpus]
    try:
        report = run_ingest(paths, settings, rebuild=args.rebuild, progress=not (args.quiet or args.json))
    except (FileNotFoundError, IndexMismatch, ManifestError, ModelNotInstalled) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the index is consistent; run the same command again to finish", file=sys.stderr)
        return 130
    print(json.dumps(report.to_dict()) if args.json else report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
