"""Answer-level metrics: small pure functions over answers and cases.

- `must_include_hits(answer_text, facts)` / `must_include_recall(answer_text, facts)`: which
  expected facts the answer contains, and what share (case-insensitive substring, whitespace
  folded).
- `forbidden_hits(answer_text, forbidden)` / `forbidden_rate(pairs)`: which forbidden strings an
  answer contains, and the share of cases with any.
- `quote_is_exact(citation, stored_text)` / `quote_exactness(answer, lookup)`: a quote is exactly
  the stored span it claims, and the share of an answer's citations for which that holds.
- `refusal_accuracy(pairs)`: the share of cases refused exactly when they are unanswerable.
- `normalise`, `answer_hit(answer_text, answers, gold_text)`, `doc_hit(citations, gold_doc)`: the
  scoring rules of the external dev sets (`../shared/data/dev/README.md`, SQuAD-style).
What it does not: judge whether sentences are supported (see `support` and `citations`) or run
the system (see `cases` and `runner`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def must_include_hits(answer_text: str, facts) -> list[str]:
    folded = _fold(answer_text)
    return [fact for fact in facts if _fold(fact) in folded]


def forbidden_hits(answer_text: str, forbidden) -> list[str]:
    folded = _fold(answer_text)
    return [item for item in forbidden if _fold(item) in folded]


def quote_is_exact(citation: dict, stored_text: str | None) -> bool:
    """True when `stored_text[start:end] == quote` (a missing document is never exact)."""
    if stored_text is None:
        return False
    start, end = citation["start"], citation["end"]
    return 0 <= start < end <= len(stored_text) and stored_text[start:end] == citation["quote"]


def quote_exactness(answer: dict, lookup: Callable[[str], str | None] | Mapping) -> float | None:
    """Share of the answer's citations whose quote equals the stored span it claims.

    `answer` is `Answer.to_dict()`; `lookup(source)` returns the document's stored text (the text
    after cleaning, which offsets refer to) or None; a dict {source: text} works too. Comparison
    is exact, character for character: a quote that differs only in whitespace or case from the
    stored span is not exact (the UI highlights `stored[start:end]`, so it must be the quote), and
    a quote of a document the store does not hold is not exact. None when the answer has no
    citations (a refusal): there is nothing to check, and it is not counted as 1 or 0.
    """
    citations = answer.get("citations") or []
    if not citations:
        return None
    exact = 0
    for citation in citations:
        try:
            text = lookup.get(citation["source"]) if isinstance(lookup, Mapping) else lookup(citation["source"])
        except (KeyError, TypeError):
            text = None
        exact += quote_is_exact(citation, text)
    return exact / len(citations)


def must_include_recall(answer_text: str, facts) -> float | None:
    """Share of `facts` found in the answer (see `must_include_hits`); None when there are none.

    A refusal contains none of the facts, so a refused answerable case scores 0.
    """
    facts = list(facts)
    if not facts:
        return None
    return len(must_include_hits(answer_text, facts)) / len(facts)


def refusal_accuracy(pairs: Iterable[tuple[bool, bool]]) -> float | None:
    """Share of (refused, answerable) pairs where the system refused exactly when the case is
    unanswerable: refusing an answerable case and answering an unanswerable one both count as
    wrong. None for no pairs."""
    pairs = list(pairs)
    if not pairs:
        return None
    return sum(refused == (not answerable) for refused, answerable in pairs) / len(pairs)


def forbidden_rate(pairs: Iterable[tuple[str, Iterable[str]]]) -> float | None:
    """Share of (answer_text, forbidden strings) cases whose answer contains any forbidden string.

    Only cases that list forbidden strings count (a case with none cannot fail this); None when
    no case lists any. Lower is better.
    """
    listed = [(text, list(forbidden)) for text, forbidden in pairs]
    listed = [(text, forbidden) for text, forbidden in listed if forbidden]
    if not listed:
        return None
    return sum(bool(forbidden_hits(text, forbidden)) for text, forbidden in listed) / len(listed)


def normalise(text: str) -> str:
    """SQuAD normalisation: lower case, punctuation and the articles a/an/the dropped, spaces
    collapsed."""
    text = "".join(char for char in text.lower() if char not in _PUNCTUATION)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2018\u2019\u201c\u201d\u2013\u2014")


def answer_hit(answer_text: str, answers, gold_text=()) -> bool:
    """The normalised answer contains a normalised gold answer, or holds at least 70% of the
    normalised tokens of a gold passage."""
    answer = normalise(answer_text)
    if any(normalise(gold) and normalise(gold) in answer for gold in answers):
        return True
    tokens = set(answer.split())
    for passage in gold_text:
        gold = normalise(passage).split()
        if gold and sum(token in tokens for token in gold) / len(gold) >= 0.7:
            return True
    return False


def doc_hit(citations, gold_doc) -> bool:
    """A citation's source (its file name) is one of the gold documents."""
    names = {str(name).rsplit("/", 1)[-1] for name in gold_doc}
    return any(str(c.get("source", "")).rsplit("/", 1)[-1] in names for c in citations or [])
