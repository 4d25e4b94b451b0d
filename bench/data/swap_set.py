"""The `swap` dev set: answerable squad2 questions whose focus is swapped for a word their article never uses.

What it does: `swapped_focus(squad)` takes each answerable squad2 question, finds its *focus* (the
question word its article holds that is rarest across the 16 articles, a name or a noun-like word)
and replaces it by the focus of the next question of another article that this article never uses,
of the same capitalisation and number ("When did the Warsaw people suffer...?" -> "When did the
Normans people suffer...?"). The result is on topic and worded like a fair question, but asks about
something the article lacks: unanswerable. These are the near misses a health reader asks of the
default corpus ("...for methamphetamine use disorder?"), which squad2's own unanswerable questions
(written from the article's words) seldom are. Some swaps read oddly; the label holds for all.
What it does not: load or split sets (see `bench.data.devsets`, which calls it) or ask anything.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import lru_cache

from bench.data.dev_case import DevCase, article_of, corpus_folder

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
MIN_LETTERS = 4
# Word endings that mark a verb or an adverb, not a thing asked about ("happened", "during", "quickly").
NOT_NOUN_ENDINGS = ("ing", "ed", "ly")


@lru_cache(maxsize=1)
def _article_words() -> dict[str, frozenset[str]]:
    """Each squad2 article's words, lower-cased."""
    return {
        path.name: frozenset(w.lower() for w in WORD.findall(path.read_text(encoding="utf-8")))
        for path in sorted(corpus_folder("squad2").glob("*.txt"))
    }


def _idf(word: str, articles: dict[str, frozenset[str]]) -> float:
    holding = sum(word in words for words in articles.values())
    return math.log((1 + len(articles)) / (1 + holding))


def _noun_like(word: str, first: bool) -> bool:
    if word[:1].isupper() and not first:
        return True
    lowered = word.lower()
    return word.islower() and len(word) >= MIN_LETTERS and not lowered.endswith(NOT_NOUN_ENDINGS)


def focus_of(question: str, article: str) -> str | None:
    """The question's word its article holds that is rarest across the articles (first on a tie)."""
    articles = _article_words()
    own = articles.get(article, frozenset())
    candidates = [m.group(0) for m in WORD.finditer(question) if m.group(0).lower() in own and _noun_like(m.group(0), m.start() == 0)]
    if not candidates:
        return None
    best = max(candidates, key=lambda w: _idf(w.lower(), articles))
    return best if _idf(best.lower(), articles) > 0 else None


def _shape(word: str) -> tuple[bool, bool]:
    return word[:1].isupper(), word.lower().endswith("s") and not word.lower().endswith("ss")


def swapped_focus(squad: list[DevCase]) -> list[DevCase]:
    """Each answerable squad2 question with its focus replaced by another article's focus that its
    article never uses, of the same shape (capitalised or not, plural or not); unanswerable."""
    articles = _article_words()
    answerable = [c for c in squad if c.answerable and c.gold_doc]
    focus = [(case, article_of(case), focus_of(case.question, article_of(case))) for case in answerable]
    cases = []
    for i, (case, article, word) in enumerate(focus):
        if word is None:
            continue
        own = articles.get(article, frozenset())
        for j in range(1, len(focus)):
            other, other_article, other_word = focus[(i + j) % len(focus)]
            if other_word and other_article != article and other_word.lower() not in own and _shape(other_word) == _shape(word):
                question = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", other_word, case.question, count=1)
                cases.append(replace(case, id=f"{case.id}|swap", set="swap", kind="swap", answerable=False, answers=(),
                                     gold_doc=(), gold_text=(), turns=(question,), extra={"article": article, "swapped": (word, other_word)}))
                break
    return cases
