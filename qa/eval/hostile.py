"""Hostile and odd inputs: what `ask()` does with each, for the tests and RELIABILITY.md.

What it does: `load_inputs(path)` reads the input table (`tests/data/hostile_inputs.jsonl`: a
name, the text — or a string repeated N times — and the outcomes allowed); `outcome(text, ask)`
asks it and classifies what happened: `error` (a `ValueError` with its message: nothing was
asked), `refused` (the refusal, with its notice if any) or `answered` (quotes with citations).
Anything else — another exception — propagates: that is a bug the tests must see.
What it does not: render anything or check the index (the test does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

OUTCOMES = ("error", "refused", "answered")


@dataclass(frozen=True)
class HostileInput:
    name: str
    text: str
    expect: tuple[str, ...]  # outcomes that are acceptable


@dataclass(frozen=True)
class Outcome:
    kind: str  # one of OUTCOMES
    detail: str  # the error message, the notice, or the answer's first citation


def load_inputs(path: Path) -> list[HostileInput]:
    inputs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            text = raw["text"] if "text" in raw else raw["repeat"] * int(raw["times"])
            inputs.append(HostileInput(raw["name"], text, tuple(raw["expect"])))
    return inputs


def outcome(text: str, ask, **overrides) -> Outcome:
    """What `ask(text)` did: an error, a refusal or an answer."""
    try:
        answer = ask(text, **overrides)
    except ValueError as error:
        return Outcome("error", str(error))
    if answer.refused:
        return Outcome("refused", answer.notices[0] if answer.notices else "no passage addresses it")
    first = answer.citations[0]
    return Outcome("answered", f"{len(answer.citations)} quote(s), first from {first.source} [{first.start}:{first.end}]")
