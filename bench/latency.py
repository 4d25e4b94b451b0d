"""Answer latency: `python -m bench.latency [--against DIR] [--no-write]`.

What it does, for this checkout and, with `--against`, another checkout of the project beside it
(e.g. an earlier commit in a `git worktree`), each in its own warm process on an index of
`corpus/` built by its own code:
- warm: the golden questions (last turns), each asked alone and as a follow-up (after one cited
  exchange), `ROUNDS` times, the two checkouts and the two forms alternating question by question,
  so a drift in the machine's speed falls on both alike; p50 and p95 of each step the answer's
  `timings` name (load, condense, retrieve, rerank, judge, answer) and of the total, and what the
  conversation adds (the median of the same question's pairs);
- cold (`bench.cold_start`): the one-shot CLI's wall time (median of 5) and the app's time to ready;
- the cost of one call of each model, warm (this checkout).
Writes the section `latency` of BENCHMARKS.md and a stacked-bar chart of the steps
(`bench/results/latency.png`).
What it does not: measure quality (see `bench.suite`) or the browser (see `bench.ui_latency`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.cold_start import ROOT, build_index, environment, measure

FIRST_EXCHANGE = "What did the 2022 alcohol trial find?"
ROUNDS = 2
STEPS = ("load_ms", "condense_ms", "retrieve_ms", "rerank_ms", "judge_ms", "answer_ms")
CHART = ROOT / "bench" / "results" / "latency.png"
# A warm process of one checkout: one JSON request per line in, the answer's timings out.
WORKER = r"""
import json, sys
from qa import ask
index = sys.argv[1]
ask("warm up", index=index)
for line in sys.stdin:
    request = json.loads(line)
    answer = ask(request["question"], request.get("history"), index=index)
    print(json.dumps({"timings": answer.timings, "history": answer.history_turns()}), flush=True)
"""


class Worker:
    """A warm `ask()` in a child process running one checkout's code."""

    def __init__(self, checkout: Path, index: Path):
        self.process = subprocess.Popen([sys.executable, "-c", WORKER, str(index)], cwd=checkout,
                                        env=environment(checkout, index), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def ask(self, question: str, history: list | None = None) -> dict:
        self.process.stdin.write(json.dumps({"question": question, "history": history}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker stopped (exit {self.process.wait()})")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def golden_questions() -> list[str]:
    lines = (ROOT / "tests" / "data" / "golden.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["turns"][-1] for line in lines if line.strip()]


def warm(workers: dict[str, Worker], questions: list[str]) -> dict[str, dict[str, dict[str, list[float]]]]:
    """Per checkout, per form ("alone", "follow-up", "added"), per step: the timings."""
    history = {name: worker.ask(FIRST_EXCHANGE)["history"] for name, worker in workers.items()}
    found = {name: {form: {} for form in ("alone", "follow-up", "added")} for name in workers}
    names = list(workers)
    for round_ in range(ROUNDS):
        for number, question in enumerate(questions):
            turn = (number + round_) % 2 == 0
            for name in names if turn else names[::-1]:
                order = (None, history[name]) if turn else (history[name], None)
                got = {turns is not None: workers[name].ask(question, turns)["timings"] for turns in order}
                for key in (*STEPS, "total_ms"):
                    alone, followed = got[False].get(key, 0.0), got[True].get(key, 0.0)
                    found[name]["alone"].setdefault(key, []).append(alone)
                    found[name]["follow-up"].setdefault(key, []).append(followed)
                    found[name]["added"].setdefault(key, []).append(followed - alone)
    return found


def model_calls() -> list[tuple[str, float]]:
    """Median ms of one call of each model, warm, in this process."""
    from ingest.embed_onnx import get_query_embedder
    from qa.decision.answer_head import get_answer_head
    from qa.search.rerank import get_cross_encoder

    question = "What dose of ketamine was used in the alcohol trial?"
    sentence = ("A 2022 Phase 2 trial of 96 people with severe AUD found that three IV ketamine infusions "
                "(0.8 mg/kg over 40 minutes) plus therapy led to more days abstinent.")
    embedder, cross_encoder, head = get_query_embedder(), get_cross_encoder(2), get_answer_head()
    hidden = cross_encoder.read_pairs([(question, sentence)])[1][0]
    calls = [
        ("embed the question (MiniLM-L6, onnxruntime)", lambda: embedder.encode_query(question)),
        ("cross-encoder, one pair (MiniLM-L12 int8, onnxruntime)", lambda: cross_encoder.score_pairs([(question, sentence)])),
        ("cross-encoder, 12 pairs on 2 workers", lambda: cross_encoder.score_pairs([(question, sentence)] * 12)),
        ("answer head, one pair's top 8 layers (onnxruntime, 2 threads)", lambda: head.score(hidden)),
    ]
    costs = []
    for name, call in calls:
        call()
        times = []
        for _ in range(30):
            began = time.perf_counter()
            call()
            times.append((time.perf_counter() - began) * 1000)
        costs.append((name, statistics.median(times)))
    return costs


def chart(found: dict, path: Path) -> None:
    """Stacked bars of each step's p50: per checkout, a question alone and as a follow-up."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bars = [(f"{name}\n{form}", found[name][form]) for name in found for form in ("alone", "follow-up")]
    figure, axis = plt.subplots(figsize=(7, 3.6))
    bottoms = [0.0] * len(bars)
    for step in STEPS:
        heights = [statistics.median(values.get(step, [0.0])) for _, values in bars]
        axis.bar([label for label, _ in bars], heights, bottom=bottoms, label=step[:-3])
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    axis.set_ylim(0, max(bottoms) * 1.35)  # room for the legend above the bars
    axis.set_ylabel("ms (p50 of each step)")
    axis.set_title("Warm answer, by step")
    axis.legend(fontsize=8, ncol=3)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def commit_of(checkout: Path) -> str:
    """The commit a checkout is at (with a mark when it has changes), for the report."""
    run = lambda *args: subprocess.run(["git", "-C", str(checkout), *args], capture_output=True, text=True).stdout.strip()  # noqa: E731
    return (run("rev-parse", "--short", "HEAD") or "unknown") + (" with uncommitted changes" if run("status", "--porcelain", "--untracked-files=no") else "")


def _cells(values: dict, key: str) -> list[str]:
    """p50, p95, follow-up p50, follow-up p95 and what the conversation adds, for one step."""
    alone, followed = values["alone"].get(key, [0.0]), values["follow-up"].get(key, [0.0])
    return [f"{statistics.median(alone):.0f}", f"{percentile(alone, 0.95):.0f}", f"{statistics.median(followed):.0f}",
            f"{percentile(followed, 0.95):.0f}", f"{statistics.median(values['added'].get(key, [0.0])):+.0f}"]


def report(found: dict, cold: dict, calls: list, questions: int, load: float, against_commit: str = "") -> list[str]:
    from bench.report import machine_line

    against = "against" in found
    names = list(found)
    lines = [
        "## Answer latency",
        "",
        f"`python -m bench.latency{' --against DIR' if against else ''}`: {questions} golden questions, warm, each asked "
        f"{ROUNDS} times alone and {ROUNDS} times as a follow-up (after “{FIRST_EXCHANGE}” and its cited answer)"
        + (f", this checkout and the one in DIR (commit {against_commit}) alternating question by question" if against else "")
        + f". {machine_line()}; load average {load:.1f} at the start.",
        "",
        "Cold, fresh processes on each checkout's own index of `corpus/`: the one-shot CLI (median of 5), the app's "
        "start to ready, and the first answer's `timings` by step, ms (a checkout without a load step bills loading to its first step):",
        "",
        "| checkout | CLI | app ready | " + " | ".join(key[:-3] for key in (*STEPS, "total_ms")) + " |",
        "|---|---:|---:|" + "---:|" * (len(STEPS) + 1),
    ]
    for name in cold:
        steps = cold[name]["first_answer"]
        lines.append(f"| {name} | {cold[name]['cli_s']:.2f} s | {cold[name]['app_s']:.1f} s | "
                     + " | ".join(f"{steps.get(key, 0.0):.0f}" for key in (*STEPS, "total_ms")) + " |")
    header = ["p50", "p95", "follow-up p50", "follow-up p95", "added by a follow-up"]
    lines += [
        "",
        "Warm, ms by step (added by a follow-up: the median of the same question's pairs):",
        "",
        "| step | " + " | ".join(f"{name}: {h}" if against else h for name in names for h in header) + " |",
        "|---|" + "---:|" * (len(header) * len(names)),
    ]
    for key in (*STEPS, "total_ms"):
        lines.append(f"| {key[:-3]} | " + " | ".join(cell for name in names for cell in _cells(found[name], key)) + " |")
    if against:
        ratio = statistics.median(found["this"]["alone"]["total_ms"]) / statistics.median(found["against"]["alone"]["total_ms"])
        lines += ["", f"p50 this / against: {ratio:.2f}."]
    lines += ["", "One call of each model, warm (median of 30): " + "; ".join(f"{name} {ms:.1f} ms" for name, ms in calls) + "."]
    lines += [
        "",
        f"![Warm answer by step]({CHART.relative_to(ROOT).as_posix()})",
        "",
        "Goals: warm p50 ≤ 150 ms and p95 ≤ 250 ms; a follow-up adds ≤ 25 ms; the one-shot CLI ≤ 3 s; the app ready ≤ 8 s.",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    from bench.report import write_section

    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__.split("\n")[0])
    parser.add_argument("--against", type=Path, help="another checkout of the project to time side by side")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    checkouts = {"this": ROOT} | ({"against": args.against.resolve()} if args.against else {})
    questions = golden_questions()
    with tempfile.TemporaryDirectory() as folder:
        cold = measure(checkouts, Path(folder))
        workers = {}
        try:
            for name, checkout in checkouts.items():
                index = Path(folder) / f"warm-{name}"
                build_index(checkout, index)
                workers[name] = Worker(checkout, index)
            found = warm(workers, questions)
        finally:
            for worker in workers.values():
                worker.close()
    calls = model_calls()
    lines = report(found, cold, calls, len(questions), load, commit_of(args.against) if args.against else "")
    print("\n".join(lines))
    if not args.no_write:
        chart(found, CHART)
        write_section("latency", "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
