"""Load a question set (JSONL) and run its cases through `ask()`, multi-turn cases turn by turn.

A case is one JSON object: `id`, `kind`, `turns` (user messages; the last is scored),
`answerable`, `must_include`, `must_not_include`, `gold_passages`.
What it does not: score anything (see `metrics`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qa.answer import Answer

REQUIRED_KEYS = {"id", "kind", "turns", "answerable", "must_include", "must_not_include", "gold_passages"}


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    turns: tuple[str, ...]
    answerable: bool
    must_include: tuple[str, ...]
    must_not_include: tuple[str, ...]
    gold_passages: tuple[str, ...]


def load_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
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
    """Ask every turn in order, feeding each answer back as history; return the last answer."""
    history: list[dict] = []
    answer = None
    for turn in case.turns:
        answer = ask(turn, list(history), **overrides)
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": answer.answer}]
    return answer
