"""Score an answer against a dev-set case the way `../shared/data/dev/README.md` says, so figures compare.

What it does: `normalise` (SQuAD's: lower case, no punctuation, no a/an/the, spaces collapsed);
`is_hit(answer, answers, gold_texts)`: the normalised answer contains a normalised gold answer, or
holds at least 70% of the normalised tokens of a gold text (token counts respected); `is_doc_hit`:
a cited source is one of the gold documents. A refused answer is never a hit; the caller knows
whether it refused.
What it does not: run questions or aggregate (see `bench.suite`).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable

ARTICLES = re.compile(r"\b(a|an|the)\b")
PUNCTUATION = str.maketrans({character: " " for character in string.punctuation})
GOLD_TEXT_SHARE = 0.7


def normalise(text: str) -> str:
    """SQuAD normalisation: lower case, punctuation and articles removed, whitespace collapsed."""
    text = text.lower().translate(PUNCTUATION)
    return " ".join(ARTICLES.sub(" ", text).split())


def _contains(haystack: str, needle: str) -> bool:
    """Whole-token containment of `needle` in `haystack` (both normalised)."""
    return bool(needle) and f" {needle} " in f" {haystack} "


def holds_gold_text(answer: str, gold_text: str, share: float = GOLD_TEXT_SHARE) -> bool:
    """Whether the normalised answer holds at least `share` of the gold text's normalised tokens."""
    gold = Counter(normalise(gold_text).split())
    if not gold:
        return False
    have = Counter(normalise(answer).split())
    found = sum(min(count, have[token]) for token, count in gold.items())
    return found >= share * sum(gold.values())


def is_hit(answer: str, answers: Iterable[str], gold_texts: Iterable[str] = ()) -> bool:
    """A gold answer in the answer, or most of a gold text."""
    said = normalise(answer)
    return any(_contains(said, normalise(gold)) for gold in answers) or any(
        holds_gold_text(answer, text) for text in gold_texts
    )


def is_doc_hit(cited_sources: Iterable[str], gold_docs: Iterable[str]) -> bool:
    """A cited source (a path relative to the corpus root) names a gold document."""
    gold = set(gold_docs)
    return any(source in gold or source.rsplit("/", 1)[-1] in gold for source in cited_sources)
