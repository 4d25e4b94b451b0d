"""Cold start: `python -m bench.cold_start [--against DIR] [--runs N]`: a user's first answer, timed from outside.

What it does: builds an index of `corpus/` for each checkout (this one, and `--against` another
checkout of the project, e.g. an earlier commit in a `git worktree`), then times, in fresh
processes, side by side and alternately:
- the one-shot CLI, `python -m qa "What dose of ketamine was used in the alcohol trial?"`, from
  the interpreter's start to its exit (median of `--runs`, default 5);
- the chat app, `python app.py`, from its start to its "quoteqa is ready" line, after which it
  answers at once (it loads the models and the index, and answers one question, before that;
  median of 3);
- the steps of a fresh process's first answer, as its `timings` give them (`python -m qa --json`).
`bench.latency` reports these beside the warm figures; run alone, this prints them.
What it does not: time warm answers (see `bench.latency`), or write BENCHMARKS.md by itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI_QUESTION = "What dose of ketamine was used in the alcohol trial?"
READY = "quoteqa is ready: "
BUILD = (
    "from pathlib import Path; from ingest.pipeline import run_ingest; from ingest.settings import IngestSettings; "
    "run_ingest([Path('corpus')], IngestSettings(index={index!r}), progress=False)"
)


def environment(checkout: Path, index: Path) -> dict[str, str]:
    """The environment of a child process that runs `checkout`'s code on `index`."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "QUOTEQA_INDEX": str(index)}
    env.pop("QUOTEQA_LLM", None)
    return env


def build_index(checkout: Path, index: Path) -> None:
    """An index of `checkout`'s corpus, built by its own code (index formats change between commits)."""
    subprocess.run([sys.executable, "-c", BUILD.format(index=str(index))], cwd=checkout, check=True,
                   env=environment(checkout, index), capture_output=True, text=True)


def cli_seconds(checkout: Path, index: Path) -> float:
    """Wall time of one `python -m qa QUESTION` in a fresh process."""
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "qa", CLI_QUESTION], cwd=checkout, env=environment(checkout, index),
                          capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - began
    if done.returncode != 0 or "[1]" not in done.stdout:
        raise RuntimeError(f"{checkout}: the CLI did not answer with a citation:\n{done.stdout[-800:]}{done.stderr[-800:]}")
    return seconds


def first_answer_steps(checkout: Path, index: Path) -> dict[str, float]:
    """The `timings` of a fresh process's first answer (`python -m qa --json`): what loading and
    each step cost cold. A checkout without a load step bills loading to its first step."""
    import json

    done = subprocess.run([sys.executable, "-m", "qa", "--json", CLI_QUESTION], cwd=checkout, env=environment(checkout, index),
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)["timings"]


def app_ready_seconds(checkout: Path, index: Path, port: int) -> float:
    """Seconds from starting `python app.py` to its ready line (it answers from then on)."""
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=checkout, env=environment(checkout, index),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in process.stdout:
            if line.startswith(READY):
                return time.perf_counter() - began
        raise RuntimeError(f"{checkout}: the app stopped before it was ready (exit {process.wait()})")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def measure(checkouts: dict[str, Path], folder: Path, runs: int = 5, app_runs: int = 3) -> dict[str, dict[str, float]]:
    """Median CLI and app-ready seconds per checkout (named), each run alternating between them."""
    from qa_ui.process import free_port

    indexes = {}
    for name, checkout in checkouts.items():
        indexes[name] = folder / f"index-{name}"
        build_index(checkout, indexes[name])
    cli: dict[str, list[float]] = {name: [] for name in checkouts}
    app: dict[str, list[float]] = {name: [] for name in checkouts}
    names = list(checkouts)
    for run in range(runs):
        for name in names if run % 2 == 0 else names[::-1]:
            cli[name].append(cli_seconds(checkouts[name], indexes[name]))
    for run in range(app_runs):
        for name in names if run % 2 == 0 else names[::-1]:
            app[name].append(app_ready_seconds(checkouts[name], indexes[name], free_port()))
    return {name: {"cli_s": statistics.median(cli[name]), "cli_runs": cli[name], "app_s": statistics.median(app[name]),
                   "first_answer": first_answer_steps(checkouts[name], indexes[name])}
            for name in checkouts}


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m bench.cold_start", description=__doc__.split("\n")[0])
    parser.add_argument("--against", type=Path, help="another checkout of the project to time side by side")
    parser.add_argument("--runs", type=int, default=5, help="CLI runs per checkout (default 5)")
    args = parser.parse_args(argv)
    checkouts = {"this": ROOT} | ({"against": args.against.resolve()} if args.against else {})
    with tempfile.TemporaryDirectory() as folder:
        figures = measure(checkouts, Path(folder), args.runs)
    for name, values in figures.items():
        runs = ", ".join(f"{value:.2f}" for value in values["cli_runs"])
        print(f"{name}: CLI {values['cli_s']:.2f} s median ({runs}); app ready {values['app_s']:.1f} s; "
              f"first answer's steps (ms): {values['first_answer']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
