"""Where a word stands in a sentence: the nearest content words before and after it, within its clause.

What it does: `words_of(text)` gives a text's words, folded (`qa.eval.key_terms.fold`), citation
markers removed, each ";", ":" or parenthesis kept as a clause mark (`BOUNDARY`) (cached: the same
evidence sentences are read by several tests); `place_of(words, i)` gives where word `i` stands -
the `PLACE_WORDS` nearest content words before and after it, within `NEIGHBOURS` and its clause,
by their first `STEM` letters once a plural "s" is dropped (`stem_of`) - so that the support
check can ask whether a claim's word and an evidence word stand in the same place (share one of
them: "the late stages" and "the early stages": after "stage"); `word_and_next(words, i)` names
the phrase a reading sets beside another; `conflicts_in_place` is the loop the readings of a word
class share (quantities, focus particles, hedges).
What it does not: parse: a place is a few neighbours, not a syntactic role."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from qa.eval.antonyms import lemmas_of
from qa.eval.key_terms import DIRECTION_WORDS, fold, strip_citation_markers
from qa.text.bm25 import STOP_WORDS

NEIGHBOURS = 4  # words either side in which to find the nearest content words that make a place
STEM = 5  # neighbours match by their first letters: "stages" ~ "stage"
PLACE_WORDS = 2  # content words a side that make a place ("after the american revolutionary war": both)
WORD = re.compile(r"[a-z][a-z'-]*|[;:()]")
# Where a clause ends inside a sentence; a place never reaches across it ("one long stick; the
# pole was short" puts "long" beside "stick", not beside "pole").
BOUNDARY = "|"


def stem_of(word: str) -> str:
    """A neighbour as a place compares it: its first `STEM` letters, a plural "s" dropped first
    ("downs" ~ "down", which five letters alone keep apart)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:STEM]


@lru_cache(maxsize=4096)
def words_of(text: str) -> tuple[str, ...]:
    return tuple(w if w[0].isalpha() else BOUNDARY for w in WORD.findall(fold(strip_citation_markers(text))))


def place_of(words: Sequence[str], i: int, skip: frozenset[str] = frozenset()) -> set[tuple[str, str]]:
    """Where position `i` stands: the `PLACE_WORDS` nearest content words on each side within
    `NEIGHBOURS` and its clause, as ("before" | "after", `stem_of` each), skipping negations and
    words whose lemmas are in `skip` (`qa.eval.antonyms`)."""
    place = set()
    for side, span in (("before", range(i - 1, max(-1, i - 1 - NEIGHBOURS), -1)), ("after", range(i + 1, min(len(words), i + 1 + NEIGHBOURS)))):
        stems: set[str] = set()
        for j in span:
            w = words[j]
            if w == BOUNDARY:
                break
            if w in STOP_WORDS or len(w) < 3 or DIRECTION_WORDS.get(w) == "NEGATION" or (skip and lemmas_of(w) & skip):
                continue
            stems.add(stem_of(w))
            if len(stems) == PLACE_WORDS:
                break
        place.update((side, stem) for stem in stems)
    return place


def joined(words: Sequence[str]) -> str:
    """Words as a phrase of a reason, clause marks left out."""
    return " ".join(w for w in words if w != BOUNDARY)


def word_and_next(words: Sequence[str], i: int) -> str:
    """The word at `i` with the next word, or the one before it at the end of a clause: how a
    reading names the two phrases it sets side by side ("must listen", "can listen")."""
    return " ".join(words[i : i + 2]) if i + 1 < len(words) and words[i + 1] != BOUNDARY else joined(words[max(0, i - 1) : i + 1])


def conflicts_in_place(
    said: Sequence[str], evidence: Sequence[str], value_of: Callable[[Sequence[str], int], int | None], conflict: Callable[[int, int], bool],
) -> list[tuple[str, str]]:
    """(claim phrase, evidence phrase) for each word of `said` with a value (`value_of(words, i)`,
    None for a word of no value) that an evidence word of another value in the same place
    conflicts with (`conflict(said_value, read_value)`), where no evidence word there has its value."""
    conflicts = []
    for i in range(len(said)):
        value = value_of(said, i)
        if value is None:
            continue
        place = place_of(said, i)
        if not place:
            continue
        other, same = None, False
        for words in (words_of(sentence) for sentence in evidence):
            for j in range(len(words)):
                found = value_of(words, j)
                if found is None or not place_of(words, j) & place:
                    continue
                if found == value:
                    same = True
                elif other is None and conflict(value, found):
                    other = (words, j)
        if other and not same:
            conflicts.append((word_and_next(said, i), word_and_next(*other)))
    return conflicts
