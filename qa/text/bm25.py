"""Okapi BM25 keyword scoring over a fixed list of texts.

What it does: tokenises (lower case, words and numbers such as `0.8`, a light plural strip, English
stop words dropped), builds an inverted index once, and scores a query against every text.
`idf(term)` is exposed so other modules can tell a rare, telling word from a common one.
What it does not: store anything on disk or know about Chroma; it is rebuilt from the stored chunks.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

TOKEN = re.compile(r"[a-z0-9]+(?:[.'/][a-z0-9]+)*")
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also may might must shall us""".split()
)
STEM_LETTERS = 5


def tokenize(text: str) -> list[str]:
    """Content tokens of `text`: lower case, stop words dropped, a plural `s` stripped."""
    tokens = []
    for token in TOKEN.findall(text.lower()):
        if token in STOP_WORDS:
            continue
        if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
            token = token[:-1]
        tokens.append(token)
    return tokens


class BM25:
    """BM25 with the usual k1=1.5, b=0.75."""

    def __init__(self, texts: list[str], k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.size = len(texts)
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._lengths = []
        for index, text in enumerate(texts):
            counts = Counter(tokenize(text))
            self._lengths.append(sum(counts.values()))
            for term, count in counts.items():
                self._postings[term].append((index, count))
        self._average = (sum(self._lengths) / self.size) if self.size else 0.0
        self._stems: set[str] | None = None

    def idf(self, term: str) -> float:
        frequency = len(self._postings.get(term, ()))
        return math.log(1.0 + (self.size - frequency + 0.5) / (frequency + 0.5))

    def has_form_of(self, term: str) -> bool:
        """Whether some text holds `term` or a word with its first five letters ("limitation" ~
        "limited"), the same loose stemming the answerability signals use."""
        if term in self._postings:
            return True
        if len(term) < STEM_LETTERS:
            return False
        if self._stems is None:
            self._stems = {t[:STEM_LETTERS] for t in self._postings if len(t) >= STEM_LETTERS}
        return term[:STEM_LETTERS] in self._stems

    def document_frequency(self, term: str) -> float:
        """Share of texts containing `term` (0 when the index is empty)."""
        return len(self._postings.get(term, ())) / self.size if self.size else 0.0

    def scores(self, query: str) -> dict[int, float]:
        """Score of every text sharing a term with `query` (others score 0 and are left out)."""
        totals: dict[int, float] = defaultdict(float)
        for term in set(tokenize(query)):
            postings = self._postings.get(term)
            if not postings:
                continue
            weight = self.idf(term)
            for index, count in postings:
                norm = self.k1 * (1 - self.b + self.b * self._lengths[index] / (self._average or 1.0))
                totals[index] += weight * count * (self.k1 + 1) / (count + norm)
        return totals

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        ranked = sorted(self.scores(query).items(), key=lambda item: (-item[1], item[0]))
        return ranked[:k]
