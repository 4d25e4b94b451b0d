"""Command line: `python -m qa "question" [--history FILE [--save-history]] [--index DIR] [--json]`.

What it does: asks one question (with an optional chat history: a JSON list of {"role",
"content"} turns, an assistant turn optionally with the "citations" its answer gave;
`--save-history` appends the new exchange to that file, so a conversation goes on across calls)
and prints the answer with its numbered quotes and sources, or `Answer.to_dict()` as
JSON. Exit code 0 on an answer or a refusal, 2 on bad input or a missing index.
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
from qa.answer import RELATED_HEADING


def _read_history(path: Path) -> list[dict]:
    try:
        history = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read the history file {path}: {error}") from None
    if not isinstance(history, list) or not all(isinstance(turn, dict) for turn in history):
        raise ValueError(f"the history file {path} must hold a JSON list of {{\"role\", \"content\"}} objects")
    return history


def render(answer) -> str:
    """The answer for a terminal: text, then one line per quote with its source."""
    lines = [textwrap.fill(line, 100) if not line.startswith("- ") else line for line in answer.answer.split("\n")]
    lines += [f"({notice})" for notice in answer.notices]
    if answer.dropped:
        lines.append(f"({len(answer.dropped)} sentence(s) of the LLM's answer failed the support check and were not shown.)")
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for citation in answer.citations:
            where = f"{citation.source}, characters {citation.start}-{citation.end}"
            lines.append(f"[{citation.n}] {citation.title} — {where}")
            lines.append(textwrap.indent(textwrap.fill(f"“{citation.quote}”", 96), "    "))
            for reference in citation.references:
                lines.append(textwrap.indent(textwrap.fill(reference["text"], 96), "    ↳ "))
    if answer.related:
        lines += ["", RELATED_HEADING]
        for related in answer.related:
            lines.append(f"- {related.title} — {related.source}, characters {related.start}-{related.end}")
            lines.append(textwrap.indent(textwrap.fill(f"“{related.quote}”", 96), "    "))
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
    print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1) if args.json else render(answer))
    if args.save_history:
        turns = (history or []) + answer.history_turns()
        args.history.write_text(json.dumps(turns, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
