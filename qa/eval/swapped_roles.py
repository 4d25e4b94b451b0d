"""Who did what to whom: "Jones defeated Smith" against "Smith defeated Jones".

What it does: `swapped_roles(claim, evidence)` finds two names of the claim (words written with a
capital, in the claim and in the evidence, but for a common word opening a sentence) that an evidence sentence also holds,
each once, with a third word they share between them (the relation: "defeated"), but in the other
order: the claim has the two roles the other way round.
The two phrases are returned side by side ("jones defeated smith", "smith defeated jones").
A pair the claim or the evidence links with "by" but not both is a passive said the other way
("Jones was defeated by Smith") and is skipped; so is a pair farther apart than `REACH` words in
either text (a long sentence reorders its clauses without turning anything round), and names
joined by "and" or "or" ("Smith and Jones"), whose order says nothing. Two names at most
`GLUE_REACH` words apart and joined by the same function words in both texts, or by a possessive,
are one relation too ("A Time to Kill" against "A Kill to Time", "the Wars of the Roses",
"Marshall's Jackson"). Common nouns are left alone: measured on the human labels, their order moved
in faithful claims as often as in wrong ones ("air quality control regulation", "regulations for
the control of air").
What it does not: know which relations are symmetric ("A is associated with B"): it reads word
order, not a parse; or decide support (`qa.eval.support` does).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from qa.eval.key_terms import DIRECTION_WORDS, fold, strip_citation_markers
from qa.eval.word_places import STEM, joined, words_of
from qa.text.bm25 import STOP_WORDS

REACH = 10  # words from the first role to the second, in the claim and in the evidence
CAPITALISED = re.compile(r"[A-Z][A-Za-z'-]*")
OPENS = re.compile(r"(?:^|[.!?:;]\s+|[\"'(]\s*)$")  # what precedes a word that opens a text or a sentence
COMMON_COUNT = 100_000  # a word this frequent in English, opening a sentence, is no name ("The", "During")
LINKS = frozenset({"and", "or", "nor"})
GLUE_REACH = 3  # names this close, joined only by the same function words, are one relation


@lru_cache(maxsize=4096)
def _names(text: str) -> frozenset[str]:
    """The stems of the words `text` writes with a capital: inside a sentence, or opening one when
    the word is not a common English word (pyspellchecker's counts, `qa.text.wording.english`)."""
    from qa.text.wording import english

    text = strip_citation_markers(text)
    found = set()
    for match in CAPITALISED.finditer(text):
        word = fold(match.group(0))
        if OPENS.search(text[max(0, match.start() - 4) : match.start()]) and english()[word] >= COMMON_COUNT:
            continue
        found.add(word[:STEM])
    return frozenset(found)


def _content(word: str) -> bool:
    return word not in STOP_WORDS and len(word) > 2 and word not in DIRECTION_WORDS


def _once(words: Sequence[str]) -> dict[str, int]:
    """The position of each content stem that occurs once."""
    seen: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        if _content(word):
            seen.setdefault(word[:STEM], []).append(i)
    return {stem: places[0] for stem, places in seen.items() if len(places) == 1}


def _between(words: Sequence[str], start: int, end: int) -> tuple[set[str], bool, bool]:
    """The content stems strictly between two positions, whether "by" stands there, and whether
    "and" or "or" does."""
    span = words[start + 1 : end]
    return {w[:STEM] for w in span if _content(w)}, "by" in span, bool(LINKS.intersection(span))


def _glue(words: Sequence[str], first: int, second: int) -> tuple[str, ...]:
    """The function words that join two close names ("to", "of the", a possessive "'s"), or ()
    when a content word or a link ("and") stands between them or they are too far apart."""
    span = tuple(words[first + 1 : second]) + (("'s",) if words[first].endswith("'s") else ())
    if second - first > GLUE_REACH or LINKS.intersection(span) or not all(w in STOP_WORDS or w == "'s" for w in span):
        return ()
    return span


def swapped_roles(claim: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """(claim phrase, evidence phrase) for the first pair of roles the claim turns round against an
    evidence sentence; empty when none does."""
    said = words_of(claim)
    in_claim = _once(said)
    names = _names(claim)
    if len(in_claim) < 3 or len(names) < 2:
        return []
    for sentence in evidence:
        read = words_of(sentence)
        in_evidence = _once(read)
        roles = names & _names(sentence)
        shared = sorted((in_claim[s], s) for s in in_claim.keys() & in_evidence.keys() & roles)
        for n, (first, a) in enumerate(shared):
            for second, b in shared[n + 1 :]:
                if second - first > REACH:
                    break
                later, earlier = in_evidence[a], in_evidence[b]
                if later <= earlier or later - earlier > REACH:
                    continue  # the same order in the evidence, or too far apart there
                glue = _glue(said, first, second)
                if glue and glue == _glue(read, earlier, later):
                    return [(joined(said[first : second + 1]), joined(read[earlier : later + 1]))]
                relation_said, by_said, linked_said = _between(said, first, second)
                relation_read, by_read, linked_read = _between(read, earlier, later)
                if by_said != by_read or linked_said or linked_read or not (relation_said & relation_read - roles):
                    continue
                return [(joined(said[first : second + 1]), joined(read[earlier : later + 1]))]
    return []
