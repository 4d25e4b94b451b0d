"""Command line: `python -m qa "question" [--history FILE [--save-history]] [--index DIR] [--json | --full]`.

What it does: asks one question (with an optional chat history: a JSON list of {"role",
"content"} turns, an assistant turn optionally with the "citations" its answer gave;
`--save-history` appends the new exchange to that file, so a conversation goes on across calls)
and prints the answer with its numbered quotes, then where each quote is (`--full`: the quote
again), or `Answer.to_dict()` as JSON. Exit code 0 on an answer or a refusal, 2 on bad input or a missing index.
What it does not: any answering logic of its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from ingest.manifest import ManifestError
from ingest.offline import ModelNotInstalled
from ingest.store import IndexMismatch, IndexMissing
from qa.answer import RELATED_HEADING, document_label, unmentioned_line
from qa.text.markers import shown


def _read_history(path: Path) -> list[dict]:
    try:
        history = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read the history file {path}: {error}") from None
    if not isinstance(history, list) or not all(isinstance(turn, dict) for turn in history):
        raise ValueError(f"the history file {path} must hold a JSON list of {{\"role\", \"content\"}} objects")
    return history


def _where(citation) -> str:
    """`title — file, page p, characters a-b`, the title left out when it is the file's name."""
    page = f", page {citation.page}" if citation.page else ""
    where = f"{citation.source}{page}, characters {citation.start}-{citation.end}"
    label = document_label(citation.title, citation.source)
    return where if label == citation.source.rsplit("/", 1)[-1] else f"{label} — {where}"


def render(answer, full: bool = False) -> str:
    """The answer for a terminal: the text with its numbered quotes, then one line per source
    (document and span; the quote again only with `full`) and the bibliography entries the
    quotes' own markers point to."""
    lines = [textwrap.fill(line, 100) if not line.startswith("- ") else line for line in answer.answer.split("\n")]
    if answer.unmentioned:
        lines.append(unmentioned_line(answer.unmentioned))
    lines += [f"({notice})" for notice in answer.notices]
    if answer.dropped:
        lines.append(f"({len(answer.dropped)} sentence(s) of the LLM's answer failed the support check and were not shown.)")
    if answer.citations:
        lines += ["", "Sources:"]
        for citation in answer.citations:
            lines.append(f"[{citation.n}] {_where(citation)}")
            if full:
                lines.append(textwrap.indent(textwrap.fill(f"“{shown(citation.quote)}”", 96), "    "))
        entries = {reference["n"]: reference["text"] for citation in answer.citations for reference in citation.references}
        if entries:
            lines += ["", "References in the quotes:"]
            lines += [textwrap.fill(shown(entries[n]), 100, subsequent_indent="    ") for n in sorted(entries)]
    if answer.related:
        lines += ["", RELATED_HEADING]
        for related in answer.related:
            lines.append(f"- {_where(related)}")
            lines.append(textwrap.indent(textwrap.fill(f"“{shown(related.quote)}”", 96), "    "))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa", description="Answer a question from the indexed documents.")
    parser.add_argument("question", help="the question (quote it)")
    parser.add_argument(
        "--history",
        type=Path,
        help="JSON file: a list of {role, content} chat turns (an assistant turn may carry the citations its answer gave)",
    )
    parser.add_argument(
        "--save-history",
        action="store_true",
        help="append this question and its answer (with its citations) to the --history file, creating it if missing",
    )
    parser.add_argument("--index", type=Path, help="index folder (default: $QUOTEQA_INDEX or .index)")
    parser.add_argument("--json", action="store_true", help="print Answer.to_dict() as JSON")
    parser.add_argument("--full", action="store_true", help="under Sources, print each quote again in full")
    parser.add_argument(
        "--llm", help="answer back end: none (extractive, the default), hf-gguf:PATH, ollama:MODEL[@URL], openai:MODEL@BASE_URL"
    )
    args = parser.parse_args(argv)
    try:
        if args.save_history and not args.history:
            raise ValueError("--save-history needs --history FILE")
        history = _read_history(args.history) if args.history and (args.history.exists() or not args.save_history) else None
        from qa import ask
        from qa.llm.spec import parse_llm

        overrides = {"index": args.index} if args.index else {}
        if args.llm is not None:
            parse_llm(args.llm)  # a malformed value is an error here, not a silent fallback
            overrides["llm"] = args.llm
        answer = ask(args.question, history, **overrides)
    except (ValueError, IndexMissing, IndexMismatch, ManifestError, ModelNotInstalled) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1) if args.json else render(answer, args.full))
    if args.save_history:
        turns = (history or []) + answer.history_turns()
        args.history.write_text(json.dumps(turns, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
