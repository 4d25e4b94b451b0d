"""Upload 20 documents through the chat's `/upload` while another session keeps asking questions.

What it does: starts `python app.py` on a private copy of the corpus (its own index), then
1. idle: one gradio_client session asks the questions below in turn, for a baseline latency;
2. upload: a second session sends 20 files the size of the default corpus's documents (copies of
   them, each with its own heading, so each is new) to `/upload` and polls its progress, while the
   first session keeps asking; each answer's wall time is recorded as the client sees it.
Writes the `upload` section of RELIABILITY.md: upload time, the progress updates the client saw,
the summary, and the asking session's median (and p90) latency idle and during the upload.
Run: `python -m bench.reliability.upload [--files 20] [--rounds 3]` (also part of `make bench`).
What it does not: assert anything (timings depend on the machine; tests never assert on them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.report import RELIABILITY, machine_line, write_section
from qa_ui.process import ROOT, private_corpus_env, running_app

QUESTIONS = [
    "What dose of ketamine was used in the alcohol trial?",
    "What did the cocaine trial find?",
    "Is ketamine approved for treating substance use disorders?",
    "What is the evidence for ketamine in opioid use disorder?",
]
IDLE_QUESTIONS = 12


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def make_files(folder: Path, count: int, round_: int = 1) -> list[Path]:
    """`count` new documents, each a copy of one default corpus document under its own heading."""
    originals = sorted((ROOT / "corpus").glob("*.txt"))
    files = []
    for n in range(count):
        source = originals[n % len(originals)]
        path = folder / f"upload-r{round_}-{n + 1:02d}-{source.name}"
        path.write_text(f"Uploaded copy {round_}.{n + 1}\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
        files.append(path)
    return files


def ask_timed(client, question: str) -> float:
    began = time.perf_counter()
    client.predict(question, "", api_name="/ask")
    return (time.perf_counter() - began) * 1000.0


def measure(url: str, rounds: list[list[Path]]) -> dict:
    """Idle latency first, then each round's upload with the asking session running alongside."""
    from gradio_client import Client

    asker, uploader = Client(url, verbose=False), Client(url, verbose=False)
    ask_timed(asker, QUESTIONS[0])  # warm
    idle = [ask_timed(asker, QUESTIONS[i % len(QUESTIONS)]) for i in range(IDLE_QUESTIONS)]
    results = [measure_round(asker, uploader, files) for files in rounds]
    after = [ask_timed(asker, QUESTIONS[i % len(QUESTIONS)]) for i in range(IDLE_QUESTIONS)]  # the bigger index, idle
    return {
        "idle": idle, "after": after, "rounds": results, "during": [ms for r in results for ms in r["during"]],
        "errors": [e for r in results for e in r["errors"]],
    }


def measure_round(asker, uploader, files: list[Path]) -> dict:
    from gradio_client import handle_file

    during: list[float] = []
    errors: list[str] = []
    done = threading.Event()

    def keep_asking() -> None:
        i = 0
        while not done.is_set():
            try:
                during.append(ask_timed(asker, QUESTIONS[i % len(QUESTIONS)]))
            except Exception as error:  # noqa: BLE001 - counted, reported
                errors.append(f"{type(error).__name__}: {error}")
            i += 1

    thread = threading.Thread(target=keep_asking)
    thread.start()
    time.sleep(0.5)  # the asker is mid-question when the upload starts
    began = time.perf_counter()
    job = uploader.submit([handle_file(str(path)) for path in files], False, api_name="/upload")
    updates: list[tuple[float, str, int | None, int | None]] = []
    while not job.done():
        status = job.status()
        for unit in status.progress_data or []:
            update = (round(time.perf_counter() - began, 2), unit.desc or "", unit.index, unit.length)
            if not updates or updates[-1][1:] != update[1:]:
                updates.append(update)
        time.sleep(0.05)
    summary = json.loads(job.result())
    upload_seconds = time.perf_counter() - began
    done.set()
    thread.join()
    answer = asker.predict("What did the cocaine trial find?", "", api_name="/ask")
    return {
        "during": during, "errors": errors, "updates": updates, "summary": summary,
        "upload_seconds": upload_seconds, "cited_after": sorted({c["source"] for c in answer["citations"]}),
    }


def report(result: dict, count: int, size: int, load: float) -> str:
    idle, during = result["idle"], result["during"]
    rows = []
    for number, r in enumerate(result["rounds"], 1):
        stages = {}
        for _, stage, index, length in r["updates"]:
            stages[stage] = f" {index}/{length}" if length else ""
        shown = ", ".join(f"{stage}{value}" for stage, value in stages.items())
        summary = r["summary"]
        rows.append(
            f"| {number} | {r['upload_seconds']:.1f} s | {summary['seconds']:.1f} s | {summary['added']} / "
            f"{len(summary['skipped'])} / {summary['chunks']} | {len(r['updates'])} ({shown}) | "
            f"{statistics.median(r['during']):.0f} ms ({len(r['during'])}) |"
        )
    return "\n".join(
        [
            "## Upload while another session asks",
            "",
            f"`python -m bench.reliability.upload --files {count}`: `python app.py` on 127.0.0.1 with a private copy of the corpus; "
            f"{count} files of {size:,} bytes on average (copies of the default corpus's documents, each with its own "
            "heading) sent to `/upload` in one call by one gradio_client session, while a second session asks "
            f"{len(QUESTIONS)} questions in turn through `/ask` (wall time per answer as the client sees it). "
            f"{len(result['rounds'])} rounds, each uploading {count} new files. {machine_line()}; load average {load:.1f} at the start.",
            "",
            "| round | upload, client wall time | ingest time in the summary | added / skipped / chunks in the index | "
            "progress updates the client saw (last of each stage) | other session's median answer during it (questions) |",
            "|---:|---:|---:|---|---|---:|",
            *rows,
            "",
            f"**Other session: median {statistics.median(idle):.0f} ms idle (p90 {percentile(idle, 0.9):.0f}, {len(idle)} questions), "
            f"median {statistics.median(during):.0f} ms during the uploads (p90 {percentile(during, 0.9):.0f}, {len(during)} questions, "
            f"{len(result['errors'])} errors); median {statistics.median(result['after']):.0f} ms idle again after them, "
            f"on the larger index (p90 {percentile(result['after'], 0.9):.0f}).**",
            "",
            "Questions kept being answered during the whole upload, from the last complete index (the manifest stays "
            "`dirty` while chunks are written, and `qa.search.index` reloads only when it is clean). The upload embeds 8 chunks "
            "per encoder call (`ingest.corpus.UPLOAD_EMBED_BATCH`), so a question waits for at most one small call "
            "for the shared embedder; the upload and the questions also share the same cores (this benchmark does not "
            "separate the two causes). Sources cited "
            f"right after the last upload: {', '.join(result['rounds'][-1]['cited_after']) or 'none'}.",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability.upload")
    parser.add_argument("--files", type=int, default=20, help="files in each upload (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="uploads, one after the other (default 3)")
    args = parser.parse_args(argv if argv is not None else [])
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="quoteqa-upload-") as scratch:
        rounds = []
        for number in range(1, args.rounds + 1):
            folder = Path(scratch) / f"round-{number}"
            folder.mkdir()
            rounds.append(make_files(folder, args.files, number))
        size = int(statistics.mean(path.stat().st_size for path in rounds[0]))
        env = private_corpus_env(Path(scratch) / "app")
        with running_app(env=env) as url:
            result = measure(url, rounds)
    markdown = report(result, args.files, size, load)
    write_section("upload", markdown, path=RELIABILITY)
    print(markdown)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
