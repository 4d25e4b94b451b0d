"""Answer latency: `python -m bench.latency`.

Cold start: a fresh interpreter imports `qa`, loads the models and the index and answers one
question. Warm: `ask()` over the golden questions (last turns, single-turn), p50 and p95 of the
total and of each step (condense, retrieve, rerank, judge: the answerability decision, answer);
each question is also asked as a follow-up, after one cited exchange, right beside it, and what
the conversation adds is the median of those pairs' differences.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import machine_line, write_section
from ingest.pipeline import run_ingest
from ingest.settings import IngestSettings

ROOT = Path(__file__).resolve().parent.parent
FIRST_EXCHANGE = "What did the 2022 alcohol trial find?"
ROUNDS = 2
COLD = "import time; t=time.perf_counter(); from qa import ask; ask('What dose was used in the alcohol trial?', index={index!r}); print(time.perf_counter()-t)"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    from qa import ask

    load_before = os.getloadavg()[0]
    questions = [json.loads(line)["turns"][-1] for line in (ROOT / "tests" / "data" / "golden.jsonl").read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        index = str(Path(folder) / "idx")
        run_ingest([ROOT / "corpus"], IngestSettings(index=index), progress=False)
        began = time.perf_counter()
        cold = float(subprocess.run([sys.executable, "-c", COLD.format(index=index)], capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()[-1])
        wall = time.perf_counter() - began
        ask("warm up", index=index)
        # Each question alone and after one exchange whose answer cited its passages, back to
        # back in alternating order, twice: a drift in the machine's speed falls on both alike,
        # and what the conversation adds is read from pairs of the same question.
        history = ask(FIRST_EXCHANGE, index=index).history_turns()
        timings: dict[str, list[float]] = {}
        follow_up: dict[str, list[float]] = {}
        added: dict[str, list[float]] = {}
        for round_ in range(ROUNDS):
            for number, question in enumerate(questions):
                order = (None, history) if (number + round_) % 2 == 0 else (history, None)
                got = {turns is not None: ask(question, turns, index=index).timings for turns in order}
                alone, followed = got[False], got[True]
                for key in alone:
                    timings.setdefault(key, []).append(alone[key])
                    follow_up.setdefault(key, []).append(followed.get(key, 0.0))
                    added.setdefault(key, []).append(followed.get(key, 0.0) - alone[key])
    lines = [
        "## Answer latency",
        "",
        f"`python -m bench.latency`: {len(questions)} golden questions, warm, one at a time, each asked {ROUNDS} times "
        f"alone and {ROUNDS} times as a follow-up. {machine_line()}; "
        f"load average {load_before:.1f} at the start (other processes slow every step: compare runs at a low load).",
        "",
        f"Cold start (import + model and index load + first answer): {cold:.1f} s ({wall:.1f} s with interpreter start). Goal ≤ 10 s.",
        "",
        f"Each question alone, and the same questions as follow-ups (after “{FIRST_EXCHANGE}” and its cited answer):",
        "",
        "| step | p50 ms | p95 ms | follow-up: p50 ms | follow-up: p95 ms | added by the conversation (median of the same question's pairs) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key in ("condense_ms", "retrieve_ms", "rerank_ms", "judge_ms", "answer_ms", "total_ms"):
        alone, followed = timings.get(key, [0.0]), follow_up.get(key, [0.0])
        lines.append(
            f"| {key[:-3]} | {statistics.median(alone):.0f} | {percentile(alone, 0.95):.0f} | "
            f"{statistics.median(followed):.0f} | {percentile(followed, 0.95):.0f} | "
            f"{statistics.median(added.get(key, [0.0])):+.0f} |"
        )
    lines += ["", "Goals: warm p50 ≤ 250 ms, p95 ≤ 500 ms (total); a follow-up adds ≤ 30 ms to the p50."]
    print("\n".join(lines))
    write_section("latency", "\n".join(lines))


if __name__ == "__main__":
    main()
