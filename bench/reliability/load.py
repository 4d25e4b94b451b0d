"""Many chat sessions at once against the running app: latency, throughput, errors, history leaks.

What it does: builds an index of `corpus/` in a temporary folder, starts `python app.py` on a free
loopback port (stopped afterwards, also on errors or Ctrl-C), then for each N of `--sessions` runs
N threads, each with its own `gradio_client.Client` and its own history. Each session asks the
golden follow-up conversations through `/ask` (first turn, then the follow-up with that turn as
history) until `--seconds` pass or it has asked `--turns` questions. A conversation whose
standalone questions carry words of another conversation is a leak; a follow-up without words of
its own first turn has lost its history; an exception, a timeout or a malformed answer is an error.
Writes the `load` section of RELIABILITY.md (unless `--no-write`) and prints it.
Run: `python -m bench.reliability.load [--sessions 1 4 16 32] [--seconds S] [--turns T] [--no-write]`.
What it does not: judge answer quality (bench.golden does), drive a browser (bench.ui_latency
does) or measure cold start (the app warms up before it serves).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.reliability.session_checks import (
    ROOT,
    Conversation,
    foreign_words,
    history_problem,
    load_conversations,
    malformed,
    words,
)
from bench.report import RELIABILITY, machine_line, write_section

REQUEST_TIMEOUT = 60.0  # seconds; a question slower than this counts as an error, so the run stays bounded

Ask = Callable[[str, str], dict]  # (question, history as JSON or "") -> Answer.to_dict()


@dataclass
class SessionResult:
    latencies_ms: list[float] = field(default_factory=list)
    conversations: int = 0
    questions: int = 0
    errors: int = 0
    leaks: int = 0
    lost: int = 0
    error_samples: list[str] = field(default_factory=list)
    problem_ids: set[str] = field(default_factory=set)  # conversations that leaked or lost their history

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 3:
            self.error_samples.append(text[:200])


def run_session(
    ask: Ask,
    conversations: Sequence[Conversation],
    start: int,
    deadline: float,
    max_questions: int,
    clock: Callable[[], float] = time.monotonic,
    stop: threading.Event | None = None,
) -> SessionResult:
    """Ask conversations from `start` on, until the deadline, `max_questions` or `stop`.

    A conversation starts only if both its questions fit the count; one started before the
    deadline is finished, so a follow-up is never cut from its first turn.
    """
    result, asked, position = SessionResult(), 0, start
    foreign = {c.id: foreign_words(c, conversations) for c in conversations}
    while asked + 2 <= max_questions and clock() < deadline and not (stop and stop.is_set()):
        conversation = conversations[position % len(conversations)]
        position += 1
        history: list[dict] = []
        answers: list[dict] = []
        for question in (conversation.first, conversation.follow_up):
            asked += 1
            began = clock()
            try:
                answer = ask(question, json.dumps(history) if history else "")
            except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the run
                result.error(f"{type(error).__name__}: {error}")
                break
            elapsed_ms = (clock() - began) * 1000
            problem = malformed(answer, question)
            if problem:
                result.error(problem)
                break
            result.questions += 1
            result.latencies_ms.append(elapsed_ms)
            answers.append(answer)
            history += answer["history_turns"]  # as the chat keeps it: with the answer's citations
        else:
            result.conversations += 1
            first, follow_up = (a["standalone_question"] for a in answers)
            # A first turn has no history: any word from elsewhere in it leaked in on the server.
            leaked = words(first) & foreign[conversation.id]
            problem = "leak" if leaked else history_problem(follow_up, conversation, foreign[conversation.id])
            result.leaks += problem == "leak"
            result.lost += problem == "lost"
            if problem:
                result.problem_ids.add(f"{conversation.id} ({problem})")
    return result


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the closest ranks; nan when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(sessions: int, results: Sequence[SessionResult], seconds: float) -> dict:
    """One table row: totals over the sessions, latency percentiles, questions per second of wall time."""
    latencies = [ms for r in results for ms in r.latencies_ms]
    questions = sum(r.questions for r in results)
    return {
        "sessions": sessions,
        "conversations": sum(r.conversations for r in results),
        "questions": questions,
        "errors": sum(r.errors for r in results),
        "leaks": sum(r.leaks for r in results),
        "lost": sum(r.lost for r in results),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "per_second": questions / seconds if seconds > 0 else 0.0,
        "seconds": seconds,
        "samples": [s for r in results for s in r.error_samples][:3],
        "problem_ids": sorted(set().union(*(r.problem_ids for r in results))),
    }


def client_ask(client) -> Ask:
    def ask(question: str, history: str) -> dict:
        job = client.submit(question, history, api_name="/ask")
        try:
            return job.result(timeout=REQUEST_TIMEOUT)
        except BaseException:
            job.cancel()
            raise

    return ask


def run_level(url: str, sessions: int, conversations: Sequence[Conversation], seconds: float, max_questions: int) -> dict:
    """N sessions at once, each on its own client and thread; the row of the table."""
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in range(sessions)]  # connected before the clock starts
    results: list[SessionResult | None] = [None] * sessions
    stop = threading.Event()

    def work(i: int) -> None:
        # Sessions start on different conversations, so neighbours hold different histories.
        results[i] = run_session(client_ask(clients[i]), conversations, i, deadline, max_questions, stop=stop)

    began = time.monotonic()
    deadline = began + seconds
    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(sessions)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)  # short joins so Ctrl-C reaches this thread
    except KeyboardInterrupt:
        stop.set()
        raise
    finally:
        for client in clients:
            client.close()
    return summarize(sessions, [r or SessionResult() for r in results], time.monotonic() - began)


def build_index(scratch: Path) -> Path:
    """A fresh index of `corpus/` in `scratch`, so the run never depends on (or touches) `.index/`."""
    from ingest.offline import ensure_offline

    ensure_offline()
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings

    index = scratch / "index"
    run_ingest([ROOT / "corpus"], IngestSettings(index=index), progress=False)
    return index


def app_concurrency() -> int:
    from app import AppSettings  # the app's own setting, read the way the app reads it

    return AppSettings().concurrency


def report(rows: Sequence[dict], command: str, concurrency: int, load: float, seconds: float, max_questions: int) -> str:
    table = [
        f"| {r['sessions']} | {r['conversations']} | {r['questions']} | {r['errors']} | {r['leaks']} | {r['lost']} "
        f"| {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['per_second']:.1f} |"
        for r in rows
    ]
    samples = [f"- {r['sessions']} sessions: {s}" for r in rows for s in r["samples"]]
    setup = (
        f"`{command}`: `python app.py` on 127.0.0.1 with a fresh index of `corpus/`, "
        f"`QUOTEQA_CONCURRENCY={concurrency}` (questions answered at once; the rest wait in Gradio's queue). "
        f"{machine_line()}; load average {load:.1f} at the start."
    )
    legend = (
        "Each session is a `gradio_client.Client` with its own history, asking the golden follow-up "
        f"conversations through `/ask` (first turn, then the follow-up) for {seconds:g} s or {max_questions} "
        "questions. Latency is per question as the client sees it, queue wait included. "
        "*Leaks*: conversations whose standalone questions have words of another conversation; *lost*: follow-ups "
        "whose standalone question has no word of their own first turn; *errors*: exceptions, timeouts "
        f"(> {REQUEST_TIMEOUT:g} s) and malformed answers."
    )
    problems = sorted({name for r in rows for name in r["problem_ids"]})
    header = "| sessions | conversations | questions | errors | leaks | lost | p50 ms | p95 ms | questions/s |"
    return "\n".join(
        ["## Concurrent chat sessions", "", setup, "", legend, "", header, "|---:" * 9 + "|", *table]
        + (["", "Errors seen:", *samples] if samples else [])
        + ([f"\nConversations with leaks or lost history: {', '.join(problems)}."] if problems else [])
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(argv if argv is not None else [])
    parser = argparse.ArgumentParser(prog="python -m bench.reliability.load", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 4, 16, 32], help="numbers of sessions at once")
    parser.add_argument("--seconds", type=float, default=60.0, help="time per number of sessions (default 60)")
    parser.add_argument("--turns", type=int, default=40, help="most questions a session asks (default 40)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RELIABILITY.md alone")
    args = parser.parse_args(argv)
    if args.turns < 2 or args.seconds <= 0 or min(args.sessions) < 1:
        parser.error("--turns must be at least 2 (a conversation), --seconds and --sessions positive")
    from qa_ui.process import running_app

    conversations = load_conversations()
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="quoteqa-load-") as scratch:
        index = build_index(Path(scratch))
        with running_app(env={"QUOTEQA_INDEX": str(index)}) as url:
            for sessions in args.sessions:
                rows.append(run_level(url, sessions, conversations, args.seconds, args.turns))
                print(f"{sessions} sessions: {rows[-1]['questions']} questions, {rows[-1]['errors']} errors", flush=True)
    command = " ".join(["python -m bench.reliability.load", *argv])
    markdown = report(rows, command, app_concurrency(), load, args.seconds, args.turns)
    if not args.no_write:
        write_section("load", markdown, path=RELIABILITY)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
