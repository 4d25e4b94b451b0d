"""Who did better than whom: "B led to more abstinence than A" against "A led to more abstinence compared to B".

What it does: `comparison_conflicts(claim, evidence)` reads each comparison of the claim - a
direction word (`qa.eval.key_terms.DIRECTION_WORDS`: more/less, higher/lower, increased/reduced, ...) or
a comparative with an opposite in WordNet (`qa.eval.antonyms`: better/worse) said of a thing, with what it is compared to after "than", "compared to/with", "versus" or
"relative to" - as a side that comes out ahead (the content words before the direction word, in its
clause) and a side it is measured against (the content words after the comparing words, to the end
of the clause). In the evidence sentences it finds comparisons of the same thing (first `STEM`
letters), turning the sides round when the evidence's direction is the opposite ("A had less
relapse than B" is "B had more relapse than A"). The claim contradicts its evidence when every word
of the side it measures against stands on the evidence's side ahead and none on the other
("than ketamine" against "ketamine infusion ... more abstinence compared to a control"), and no
comparison of the evidence measures against it.
What it does not: read comparisons without comparing words ("A outperformed B"), words the
evidence puts on both sides (they tell the sides apart from neither), or decide support
(`qa.eval.support` does).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from qa.eval.antonyms import lemmas_of, opposites_of
from qa.eval.key_terms import DIRECTION_WORDS, OPPOSITE_CLASS, fold, strip_citation_markers
from qa.eval.word_places import STEM
from qa.text.bm25 import STOP_WORDS

TOKEN = re.compile(r"[a-z0-9][a-z0-9'-]*|[,;:()]")
COMPARING = (("than",), ("compared", "to"), ("compared", "with"), ("versus",), ("vs",), ("relative", "to"))
REACH = 3  # words after the direction word in which to find the thing compared
COMPARED_WITHIN = 8  # words after the direction word in which its comparing words may come
CLAUSE_ENDS = {",", ";", ":", "(", ")"}
SHOWN_AHEAD = 8  # words before the direction word shown in a side-by-side phrase


@dataclass(frozen=True)
class Comparison:
    """One comparison: `ahead` comes out `direction` on `thing` against `against`."""

    direction: frozenset[str]  # its direction class ("UP"), or its lemmas where WordNet gives it an opposite ("better": {"good", "well"})
    opposite: frozenset[str]  # the opposite class, or the opposite lemmas
    word: str
    thing: str
    ahead: frozenset[str]
    against: frozenset[str]
    phrase: str  # from the direction word to the end of the clause
    whole: str  # with the words ahead of it (at most `SHOWN_AHEAD`)


def _content(word: str) -> bool:
    return word not in STOP_WORDS and word not in DIRECTION_WORDS and len(word) > 2


@lru_cache(maxsize=4096)  # (d), (e) and (f) each read the same evidence sentences' comparisons
def _comparisons(text: str) -> tuple[Comparison, ...]:
    tokens = TOKEN.findall(fold(strip_citation_markers(text)))
    found = []
    for i, word in enumerate(tokens):
        direction, opposite = _polarity(word)
        if not direction:
            continue
        start = next((j for j in range(i + 1, min(len(tokens), i + 1 + COMPARED_WITHIN)) if _comparing(tokens, j)), None)
        if start is None or _number_after(tokens, start):  # "more than 30 minutes": a quantity, no side
            continue
        # The thing compared: the first content word before the comparing words ("more abstinence
        # than"), or none ("was longer than").
        thing = next((t[:STEM] for t in tokens[i + 1 : min(start, i + 1 + REACH)] if _content(t)), "")
        begin = max((j + 1 for j in range(i) if tokens[j] in CLAUSE_ENDS), default=0)
        end = next((j for j in range(start, len(tokens)) if tokens[j] in CLAUSE_ENDS), len(tokens))
        ahead = frozenset(t[:STEM] for t in tokens[begin:i] if _content(t))
        against = frozenset(t[:STEM] for t in tokens[start:end] if _content(t) and t not in ("compared", "relative"))
        if ahead and against:
            found.append(Comparison(direction, opposite, word, thing, ahead, against, " ".join(tokens[i:end]), " ".join(tokens[max(begin, i - SHOWN_AHEAD) : end])))
    return tuple(found)


def _polarity(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(direction, opposite) of a word that can head a comparison: its direction class
    (`qa.eval.direction_conflicts`) or else its WordNet lemmas and their opposites; empty sets for
    any other word."""
    direction = DIRECTION_WORDS.get(word)
    if direction in OPPOSITE_CLASS:  # with its lemmas too: "worse" is the opposite of "better"
        return frozenset({direction}) | lemmas_of(word), frozenset({OPPOSITE_CLASS[direction]}) | opposites_of(word)
    lemmas = lemmas_of(word)
    # Only a comparative heads a comparison: a form of another lemma and no plural or verb form
    # ("better" of "good", "steeper"; not "pain", "position" or "increased").
    if not lemmas - {word} or word.endswith(("s", "ed", "ing")):
        return frozenset(), frozenset()
    return lemmas, opposites_of(word)


def _number_after(tokens: list[str], start: int) -> bool:
    words = next((c for c in COMPARING if tuple(tokens[start : start + len(c)]) == c), ())
    following = tokens[start + len(words) : start + len(words) + 1]
    return bool(following) and following[0][0].isdigit()


def _comparing(tokens: list[str], j: int) -> bool:
    return any(tuple(tokens[j : j + len(words)]) == words for words in COMPARING)


def _oriented(mine: Comparison, theirs: Comparison):
    """The evidence comparison's (ahead, against, the claim's against), turned to the claim's direction,
    without the words the evidence puts on both sides; None when the two compare differently."""
    ahead, against = theirs.ahead, theirs.against
    if theirs.direction & mine.opposite:
        ahead, against = against, ahead
    elif not theirs.direction & mine.direction:
        return None
    both = ahead & against  # words the evidence puts on both sides tell them apart from neither
    return ahead - both, against - both, mine.against - both


def _read(claim: str, evidence: Sequence[str]) -> list[tuple[Comparison, Comparison | None, bool]]:
    """(claim comparison, an evidence comparison that gives its sides the other way round, whether
    another measures against the claim's side) for each comparison of the claim."""
    claimed = _comparisons(claim)
    if not claimed:
        return []
    said = [c for sentence in evidence for c in _comparisons(sentence)]
    read = []
    for mine in claimed:
        opposed, agreed = None, False
        for theirs in (c for c in said if c.thing == mine.thing):
            sides = _oriented(mine, theirs)
            if sides is None or not sides[2]:
                continue
            ahead, against, mine_against = sides
            if mine_against & against:  # the evidence measures against the claim's side somewhere
                agreed = True
            elif mine_against <= ahead and opposed is None:
                opposed = theirs
        read.append((mine, opposed, agreed))
    return read


def comparison_conflicts(claim: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """(claim phrase, evidence phrase) for each comparison of `claim` whose sides its evidence
    gives the other way round; empty when none does."""
    return [(mine.phrase, opposed.whole) for mine, opposed, agreed in _read(claim, evidence) if opposed and not agreed]


def said_from_the_other_side(claim: str, evidence: Sequence[str]) -> set[str]:
    """The direction words ("lower", "better") with which the claim compares in the opposite direction to its
    evidence with the sides exchanged: "B had lower X than A" for "A had higher X than B", the same
    claim, which a reading of the direction word alone takes for its opposite."""
    turned = set()
    said = [c for sentence in evidence for c in _comparisons(sentence)]
    for mine in _comparisons(claim):
        for theirs in (c for c in said if c.thing == mine.thing and c.direction & mine.opposite):
            sides = _oriented(mine, theirs)
            if sides and sides[2] and sides[2] & sides[1]:
                turned.add(mine.word)
    return turned
