"""The external dev sets (`../shared/data/dev/`) and the golden set as one kind of case, with their splits.

What it does: `load_set(name)` reads `squad2`, `coqa`, `medquad` or `golden` into `DevCase`s; `split_of(case)`
says whether a case may be fit on (`fit`) or is kept out of all fitting (`kept`):
- squad2: by article — every fourth article in name order, from the second (4 of 16), is kept
  out. An unanswerable case names no article, so it belongs to the article BM25 ranks first for
  its question among the 16 (the article it was written from, for all but a few);
- coqa: by story — a story whose name hashes (sha1) to 0 modulo 3 is kept out (about a third);
- medquad: the same, by the topic's page (`gold_doc`, or `topic_document` for a near-miss
  question, whose page is in the corpus without the section that answered it); an absent
  topic's question by its id;
- golden: never fit on (it is the project's regression test), so every case is `kept`;
- casual: questions on the default corpus asked the way a chat user asks them (lay words, "ppl",
  a typo, no question mark; `bench/data/casual_questions.jsonl`, each answerable one with a fact
  of the documents it must find), half about what the documents never cover; a probe of the
  default corpus beside golden, never fit on either: every case is `kept`;
- chat: the casual questions asked mid-chat, each after the exchange of the one before it in the
  file (a user who goes on asking), so that the default corpus's conversations are measured too.
`shift`, `inshift`, `follow` and `swap` are built from squad2 (see `SETS`) and split by its articles.
`index_for(name)` builds or refreshes a cached index of the set's corpus under `.bench-index/`.
`DevCase`, `corpus_folder`, `article_of` and `squad_kept_articles` come from `bench.data.dev_case` (so
that `bench.data.follow_set`, which builds `follow`, can read them too) and are importable from here.
What it does not: ask or score (see `bench.suite`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from bench.data.dev_case import DERIVED_FROM, DEV, ROOT, DevCase, article_of, corpus_folder, squad_kept_articles
from bench.data.follow_set import pronoun_follow_ups
from bench.data.swap_set import swapped_focus

CACHE = ROOT / ".bench-index"
# `shift` is derived from squad2: an answerable question asked after an exchange about another
# article, so the conversation must be left behind (a topic shift); `inshift` the same within one
# article, after an exchange about another of its passages (the default corpus is one topic).
# `follow` too: a question (answerable or not) with a name turned into a pronoun, asked after an
# exchange that named it - follow-ups that lean on the conversation, half of which the article does
# not answer (`bench.data.follow_set`; coqa's follow-ups are all answerable). `swap` too: answerable questions
# with their focus swapped for a word their article never uses, on-topic near misses
# (`bench.data.swap_set`), all unanswerable.
SETS = ("squad2", "coqa", "medquad", "golden", "shift", "inshift", "follow", "swap", "casual", "chat")
CASUAL = ROOT / "bench" / "data" / "casual_questions.jsonl"
# The sets written here in the golden set's format: never fit on, their hit is must-include recall.
WRITTEN_HERE = ("golden", "casual", "chat")


def load_set(name: str) -> list[DevCase]:
    if name == "chat":
        return _mid_chat(load_set("casual"))
    if name in WRITTEN_HERE:
        return _load_golden(name)
    if name in ("shift", "inshift"):
        return _topic_shifts(load_set("squad2"), same_article=name == "inshift")
    if name == "follow":
        return pronoun_follow_ups(load_set("squad2"))
    if name == "swap":
        return swapped_focus(load_set("squad2"))
    path = DEV / name / "cases.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the dev sets live in ../shared/data/dev/")
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        cases.append(
            DevCase(
                id=raw["id"],
                set=name,
                kind=raw["kind"],
                turns=tuple(raw["turns"]),
                history=tuple(raw.get("history") or ()),
                answerable=bool(raw["answerable"]),
                answers=tuple(raw.get("answers") or ()),
                gold_doc=tuple(raw.get("gold_doc") or ()),
                gold_text=tuple(raw.get("gold_text") or ()),
                extra={"qtype": raw["qtype"]} if "qtype" in raw else {},
            )
        )
    return cases


def _load_golden(name: str = "golden") -> list[DevCase]:
    """The golden set, or (`casual`) the casual questions written in its format."""
    cases = []
    path = CASUAL if name == "casual" else ROOT / "tests" / "data" / "golden.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        cases.append(
            DevCase(
                id=raw["id"],
                set=name,
                kind=raw["kind"],
                turns=tuple(raw["turns"]),
                history=None,
                answerable=bool(raw["answerable"]),
                gold_text=tuple(raw.get("gold_passages") or ()),
                must_include=tuple(raw["must_include"]),
                extra={"must_not_include": raw.get("must_not_include", [])},
            )
        )
    return cases


def _mid_chat(casual: list[DevCase]) -> list[DevCase]:
    """Each casual question asked after the question before it in the file (the first after the
    last), turn by turn: the chat's answer to the earlier one is the history it is asked with."""
    return [replace(case, set="chat", kind="chat", turns=(casual[i - 1].question, case.question))
            for i, case in enumerate(casual)]


def _topic_shifts(squad: list[DevCase], same_article: bool = False) -> list[DevCase]:
    """Each answerable squad2 question, asked after the nearest earlier answerable question of
    another article (`same_article`: of the same article, on another passage), answered by its gold
    answer or (every other case) its gold passage, as a chat's quoted answer would be; the file is
    shuffled, so "earlier" is arbitrary. A squad2 question is written to stand alone, so neither
    kind leans on the exchange before it."""
    answerable = [c for c in squad if c.answerable and c.gold_doc and c.gold_text]
    name = "inshift" if same_article else "shift"

    def fits(case: DevCase, earlier: DevCase) -> bool:
        if same_article:
            return earlier.gold_doc == case.gold_doc and earlier.gold_text[0] != case.gold_text[0]
        return earlier.gold_doc != case.gold_doc

    cases = []
    for i, case in enumerate(answerable):
        before = next((answerable[j] for j in range(i - 1, i - len(answerable), -1) if fits(case, answerable[j])), None)
        if before is None:
            continue
        said = before.gold_text[0][:400] if i % 2 else before.answers[0]
        history = ({"role": "user", "content": before.question}, {"role": "assistant", "content": said})
        cases.append(replace(case, set=name, kind=name, turns=(before.question, case.question), history=history,
                             extra={**case.extra, "before_doc": before.gold_doc[0]}))
    return cases


def split_of(case: DevCase) -> str:
    """`kept` (never fit on; thresholds are not chosen on it either) or `fit`."""
    if case.set in WRITTEN_HERE:
        return "kept"
    if case.set in ("squad2", "shift", "inshift", "follow", "swap"):
        return "kept" if article_of(case) in squad_kept_articles() else "fit"
    story = case.gold_doc[0] if case.gold_doc else (topic_document(case) if case.set == "medquad" else None) or case.id.split("|")[0]
    return "kept" if document_kept(story) else "fit"


def document_kept(name: str) -> bool:
    """Whether a coqa story or medquad page (its file name) is kept out: a third, by sha1."""
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % 3 == 0


@lru_cache(maxsize=None)
def _page_titles(name: str) -> tuple[tuple[str, str], ...]:
    """(lower-cased title, file name) of each page of a corpus, longest title first."""
    pages = []
    for path in sorted(corpus_folder(name).glob("*.txt")):
        with path.open(encoding="utf-8") as handle:
            title = handle.readline().strip().lower()
        if title:
            pages.append((title, path.name))
    return tuple(sorted(pages, key=lambda page: -len(page[0])))


def topic_document(case: DevCase) -> str | None:
    """The page a question is about: its gold document, or (a medquad near-miss question) the page
    whose title the question names, the longest such title; None for a topic the corpus lacks."""
    if case.gold_doc:
        return case.gold_doc[0]
    if case.set != "medquad" or case.kind == "medquad-absent":
        return None
    question = f" {' '.join(re.findall(r'[a-z0-9]+', case.question.lower()))} "
    for title, name in _page_titles(case.set):
        if f" {' '.join(re.findall(r'[a-z0-9]+', title))} " in question:
            return name
    return None


def select(cases: list[DevCase], split: str = "kept", limit: int | None = None, kinds: set[str] | None = None) -> list[DevCase]:
    """The cases of `split` (`kept`, `fit` or `all`), of `kinds` when given, the first `limit` of them."""
    chosen = [c for c in cases if (split == "all" or split_of(c) == split) and (not kinds or c.kind in kinds)]
    return chosen[:limit] if limit else chosen


def index_for(name: str, progress: bool = True) -> Path:
    """A cached index of the set's corpus, built when missing; the golden set's is refreshed
    incrementally (its corpus is the project's own and changes; the dev corpora do not)."""
    from ingest.manifest import MANIFEST_NAME
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings

    name = DERIVED_FROM.get(name, name)
    folder = CACHE / name
    if name == "golden" or not (folder / MANIFEST_NAME).exists():
        run_ingest([corpus_folder(name)], IngestSettings(index=folder), progress=progress)
    return folder
