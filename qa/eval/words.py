"""Content words of a text and the word-overlap baseline of support.

What it does: `content_words(text)` returns the stems of a text's content words (lower case,
stop words dropped, a light suffix stripping so "infusions" ~ "infusion", "reduced" ~ "reduce");
`word_overlap(claim, passages)` is the share of the claim's content words found anywhere in the
passages - the simplest judge of support, the baseline every support check is compared with
(`bench.fit.support_judge`). `best_sentences(claim_words, sentences, k)` picks the (at most k)
evidence sentences that cover most of the claim's words, greedily.
What it does not: decide support (see `qa.eval.support`) or use a model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i i'm if in into is it it's its
    itself just let me more most my myself of off on once only or other our ours ourselves out over own
    same she should so some such than that that's the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom why
    will with would you your yours yourself yourselves yes oh well really like know think get got go
    going one also much many lot lots thing things something anything would've i've i'd you're they're
    we're there's what's don't didn't doesn't isn't wasn't weren't can't won't
    """.split()
)  # "no", "not", "never" are not stop words: they carry meaning
TOKEN = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")
SUFFIXES = ("ingly", "edly", "ings", "ing", "ied", "ies", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    """A light stem: the first matching suffix dropped when at least 4 letters remain."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    """Lower-case word and number tokens of `text` (NFKC-normalised)."""
    return TOKEN.findall(unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'"))


def content_words(text: str) -> list[str]:
    """Stems of the content words of `text`, in order (repeats kept)."""
    return [stem(token) for token in tokens(text) if token not in STOP_WORDS and not (len(token) == 1 and token.isalpha())]


def word_overlap(claim: str, passages: Iterable[str]) -> float:
    """Share of the claim's distinct content words found in the passages (1.0 for a claim with
    none: nothing to contradict)."""
    words = set(content_words(claim))
    if not words:
        return 1.0
    found = set(content_words(" ".join(passages)))
    return len(words & found) / len(words)


def best_sentences(claim_words: set[str], sentence_words: Sequence[set[str]], k: int = 3) -> list[int]:
    """Indexes of at most `k` sentences chosen greedily, each adding the most claim words not yet
    covered (ties: the earlier sentence); stops when nothing new is added. The first is the
    sentence with the most claim words."""
    chosen: list[int] = []
    covered: set[str] = set()
    for _ in range(k):
        best, gain = -1, 0
        for i, words in enumerate(sentence_words):
            if i in chosen:
                continue
            new = len((claim_words & words) - covered)
            if new > gain:
                best, gain = i, new
        if best < 0:
            break
        chosen.append(best)
        covered |= claim_words & sentence_words[best]
    return chosen
