"""Write one benchmark's results into its own section of BENCHMARKS.md (or MODELS.md, RELIABILITY.md).

What it does: replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` (or
appends the section), so each benchmark updates its table without touching the others; a file it
creates starts with its header (`HEADER`, `MODELS_HEADER`). `machine_line()` says where and when a
run was made, and of which commit.
What it does not: measure anything.
"""

from __future__ import annotations

import platform
import re
import subprocess
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
# How each shipped model was fit: the sections of the `fit_*`, `train_*` and `calibrate_*` commands
# (and of `contradictions`, which measures the support check those fits make).
MODELS = BENCHMARKS.parent / "MODELS.md"
# What quoteqa was made to survive: hostile and reworded input, load, uploads, scale (its prose is
# written by hand around the sections).
RELIABILITY = BENCHMARKS.parent / "RELIABILITY.md"
# The top of BENCHMARKS.md: a file that write_section creates starts with it. One index line per
# section, in the file's order, linking to the section's heading (GitHub's anchor of it); then one
# line for each of the other files of figures, with the commands that write them.
HEADER = """# Benchmarks

The current figures: one section per area, each written by its command with the machine, date
and commit of its run; `make bench` runs the benchmarks. The last two lines below point to the
other files of figures; what was tried and superseded is in [bench/NOTEBOOK.md](bench/NOTEBOOK.md),
newest first.

- [Chat latency in the browser](#chat-latency-enter-to-first-visible-answer-text): `python -m bench.ui_latency`
- [Ingest speed](#ingest): `python -m bench.ingest`
- [Golden set](#golden-set-answer-quality): `python -m bench.golden`
- [Answer latency](#answer-latency): `python -m bench.latency`
- [PubMedQA-L retrieval](#pubmedqa-l-retrieval): `python -m bench.pubmedqa`
- [Follow-up rewrites](#follow-ups-heuristic-rewrite-llm-rewrite-the-conversation): `python -m bench.condense`
- [Peer comparison](#peer-comparison-tutorial-rag-chain-vs-quoteqa): `python -m bench.peer`
- [Dev suite](#dev-suite): `python -m bench.suite --limit 600`
- [Ablation of the hand rules](#ablation-each-hand-rule-switched-off): `python -m bench.ablate`
- [Dev suite over each case's own documents](#dev-suite--single-doc): `python -m bench.suite coqa shift --limit 600 --single-doc`
- [How each shipped model was fit, and the support check against contradictions](MODELS.md): `python -m bench.fit.answer_head`, `python -m bench.fit.answerability`, `python -m bench.fit.follow_up`, `python -m bench.fit.discussed`, `python -m bench.fit.support_judge --write`, `python -m bench.fit.support_head`, `python -m bench.contradictions`, `python -m bench.fit.question_support`
- [Reliability: hostile and reworded input, load, uploads while others ask, scale](RELIABILITY.md): `python -m bench.reliability.hostile`, `python -m bench.wording`, `python -m bench.reliability.load`, `python -m bench.reliability.upload`, `python -m bench.reliability.scale`
"""
# The top of MODELS.md, in the same form.
MODELS_HEADER = """# Models

How each model that quoteqa ships was fit, and how well it did: one section per model, each written
by the command that fits it, with the machine, date and commit of its run; two sections measure
the support check that reads two of them against claims turned into their opposite. The figures of
the whole chain are in [BENCHMARKS.md](BENCHMARKS.md); what was tried and superseded is in
[bench/NOTEBOOK.md](bench/NOTEBOOK.md), newest first.

- [Answer head](#answer-head-fine-tuned-top-layers-of-the-reranker): `python -m bench.fit.answer_head`
- [Answerability model](#answerability-model-fit): `python -m bench.fit.answerability`
- [Follow-up model](#follow-up-model-how-much-a-question-leans-on-the-conversation): `python -m bench.fit.follow_up`
- [Which documents a conversation is about](#which-documents-a-conversation-is-about): `python -m bench.fit.discussed`
- [Support check against human labels](#support-check-faithfulness-judge-against-human-labels): `python -m bench.fit.support_judge --write`
- [Support head](#support-head-fine-tuned-top-layers-of-the-reranker-read-by-the-support-check): `python -m bench.fit.support_head`
- [Contradictions](#contradictions-supported-claims-turned-into-their-opposite): `python -m bench.contradictions`
- [Claims turned round that the key-term veto cannot see](#claims-turned-round-that-the-key-term-veto-cannot-see): `python -m bench.contradictions`
- [Question-support gate](#question-support-gate): `python -m bench.fit.question_support`
"""
HEADERS = {BENCHMARKS: HEADER, MODELS: MODELS_HEADER}


def commit() -> str:
    """The checkout's commit, "abc1234" ("abc1234 with uncommitted changes" when files differ from
    it, untracked ones included, other than the benchmarks' own outputs), or "" outside a git checkout."""
    root = BENCHMARKS.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    if head.returncode != 0:
        return ""
    changed = [line[3:] for line in status.stdout.splitlines()] if status.returncode == 0 else []
    return head.stdout.strip() + (" with uncommitted changes" if any(not is_output(path) for path in changed) else "")


# What benchmarks write: a run after another, before its figures are committed, measures the same code.
OUTPUTS = ("BENCHMARKS.md", "MODELS.md", "RELIABILITY.md", "bench/results/")


def is_output(path: str) -> bool:
    return path.strip('"').startswith(OUTPUTS)


def machine_line() -> str:
    import os

    line = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    made_from = commit()
    return f"{line}, commit {made_from}" if made_from else line


def write_section(name: str, markdown: str, path: Path = BENCHMARKS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADERS.get(path, HEADER)
    block = f"<!-- bench:{name} -->\n{markdown.strip()}\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
