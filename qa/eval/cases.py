"""Load a question set (JSONL) and run its cases through `ask()`, multi-turn cases turn by turn.

Two formats are read, line by line:
- the project's: `id`, `kind`, `turns` (user messages; the last is scored, the earlier ones are
  asked first and their answers become the history), `answerable`, `must_include`,
  `must_not_include`, `gold_passages`;
- the external dev sets' (`../shared/data/dev/README.md`: SQuAD 2.0, CoQA): `id`, `kind`,
  `turns`, `history` (the dataset's own conversation so far), `answerable`, `answers` (gold short
  answers), `gold_doc` (file names), `gold_text` (gold passages) - the last turn is asked with
  `history`, and the answer is scored by `metrics.answer_hit` and `metrics.doc_hit`.
What it does not: score anything (see `metrics`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qa.answer import Answer

REQUIRED_KEYS = {"id", "kind", "turns", "answerable", "must_include", "must_not_include", "gold_passages"}
DEV_KEYS = {"id", "kind", "turns", "history", "answerable", "answers", "gold_doc", "gold_text"}


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    turns: tuple[str, ...]
    answerable: bool
    must_include: tuple[str, ...]
    must_not_include: tuple[str, ...]
    gold_passages: tuple[str, ...]
    history: tuple[dict, ...] | None = None  # dev format: the conversation so far, as given
    answers: tuple[str, ...] = ()
    gold_doc: tuple[str, ...] = ()

    @property
    def dev_format(self) -> bool:
        return self.history is not None


def load_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        if DEV_KEYS <= raw.keys() and "must_include" not in raw:
            cases.append(
                Case(
                    id=str(raw["id"]),
                    kind=raw["kind"],
                    turns=tuple(raw["turns"]),
                    answerable=bool(raw["answerable"]),
                    must_include=(),
                    must_not_include=(),
                    gold_passages=tuple(raw["gold_text"]),
                    history=tuple(raw["history"]),
                    answers=tuple(raw["answers"]),
                    gold_doc=tuple(raw["gold_doc"]),
                )
            )
            continue
        missing = REQUIRED_KEYS - raw.keys()
        if missing:
            raise ValueError(f"{path}:{number}: missing keys {sorted(missing)}")
        cases.append(
            Case(
                id=raw["id"],
                kind=raw["kind"],
                turns=tuple(raw["turns"]),
                answerable=bool(raw["answerable"]),
                must_include=tuple(raw["must_include"]),
                must_not_include=tuple(raw["must_not_include"]),
                gold_passages=tuple(raw["gold_passages"]),
            )
        )
    return cases


def run_case(case: Case, ask, **overrides) -> Answer:
    """Ask every turn in order, feeding each answer back as history; return the last answer. A
    dev-format case asks its last turn with its own `history`."""
    if case.dev_format:
        return ask(case.turns[-1], [dict(turn) for turn in case.history], **overrides)
    return ask_turn_by_turn(case.turns, ask, **overrides)


def ask_turn_by_turn(turns, ask, **overrides) -> Answer:
    """Ask `turns` in order as the chat does, each answer (with its citations) fed back as
    history; return the last answer."""
    history: list[dict] = []
    answer = None
    for turn in turns:
        answer = ask(turn, list(history), **overrides)
        history += answer.history_turns()
    return answer
