"""One dev-set question (`DevCase`), where each set's corpus lies, and the squad2 article a question belongs to.

What it does: `DevCase` is a question of any dev set or of the golden set; `corpus_folder(name)`
is the folder of documents a set's questions are asked on; `article_of(case)` is a squad2 (or
`shift`, `follow`, `swap`) question's article: its gold document, or for an unanswerable one the article
BM25 ranks first for it; `squad_kept_articles()` are the articles kept out of all fitting (every
fourth in name order, from the second).
What it does not: read the sets' cases or split them (see `bench.data.devsets`), or build the derived
sets (`bench.data.devsets`, `bench.data.follow_set`), which read this module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "data" / "dev"
# The sets asked on another set's corpus (see `bench.data.devsets.SETS`): built from its cases, or
# (`casual`) written for the default corpus as the golden set was.
DERIVED_FROM = {"shift": "squad2", "inshift": "squad2", "follow": "squad2", "swap": "squad2", "casual": "golden", "chat": "golden"}
SQUAD_KEPT_ARTICLES_EVERY = 4


@dataclass(frozen=True)
class DevCase:
    """One question: the last of `turns` is asked with `history` (given, or built turn by turn
    when `history` is None, as the golden set's follow-ups are)."""

    id: str
    set: str
    kind: str
    turns: tuple[str, ...]
    history: tuple[dict, ...] | None
    answerable: bool
    answers: tuple[str, ...] = ()
    gold_doc: tuple[str, ...] = ()
    gold_text: tuple[str, ...] = ()
    must_include: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def question(self) -> str:
        return self.turns[-1]


def corpus_folder(name: str) -> Path:
    name = DERIVED_FROM.get(name, name)
    return ROOT / "corpus" if name == "golden" else DEV / name / "corpus"


@lru_cache(maxsize=1)
def _squad_articles() -> tuple[list[str], object]:
    from qa.text.bm25 import BM25

    files = sorted(p.name for p in corpus_folder("squad2").glob("*.txt"))
    texts = [(corpus_folder("squad2") / name).read_text(encoding="utf-8") for name in files]
    return files, BM25(texts)


def squad_kept_articles() -> set[str]:
    files, _ = _squad_articles()
    return {name for i, name in enumerate(files) if i % SQUAD_KEPT_ARTICLES_EVERY == 1}


def article_of(case: DevCase) -> str:
    """The case's article: its gold document, or the one BM25 ranks first for its question."""
    if case.gold_doc:
        return case.gold_doc[0]
    if "article" in case.extra:  # a derived case whose question no longer names its article
        return case.extra["article"]
    files, bm25 = _squad_articles()
    best = bm25.top(case.question, 1)
    if best:
        return files[best[0][0]]
    # No word of the question is in any article: a fixed article chosen by the case's id.
    return files[int(hashlib.sha1(case.id.encode()).hexdigest(), 16) % len(files)]
