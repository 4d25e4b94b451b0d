"""A hedge stated as a certainty: "you must listen" against "you can listen", "ketamine will help" against "ketamine may help".

What it does: `overstated_hedges(claim, evidence)` finds each word of the claim that states a
certainty or a necessity (`CERTAIN`: "must", "will", "certainly", "proves", ...) and, in the
evidence sentences, a word that only allows it (`HEDGED`: "can", "may", "possibly", "suggests",
...) standing in the same place: with the same nearest content word before it or after it
(`qa.eval.word_places.place_of`). Where the evidence hedges there and never says the claim's own
word there, the two phrases are returned side by side: ("must listen", "can listen").
The two classes are English's modal verbs, modal adverbs and the verbs of evidence, a closed set
of the grammar like its negations; the other way round ("must" said as "may") is no conflict: the
source still backs the weaker claim.
What it does not: read a hedge's scope beyond its place, hedges said in phrases ("it is possible
that"), or decide support (`qa.eval.support` does).
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.eval.word_places import place_of, word_and_next, words_of

HEDGED = frozenset(
    """can could may might possibly probably likely perhaps maybe potentially presumably apparently seemingly
    suggest suggests suggested suggesting indicate indicates indicated appear appears appeared seem seems seemed""".split()
)
CERTAIN = frozenset(
    """must will shall certainly definitely surely undoubtedly necessarily always invariably
    prove proves proved proven establish establishes established confirm confirms confirmed""".split()
)
CLASSES = HEDGED | CERTAIN


def overstated_hedges(claim: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """(claim phrase, evidence phrase) for each certainty of `claim` that the evidence states only as
    a possibility in the same place; empty when none."""
    said = words_of(claim)
    conflicts = []
    for i, word in enumerate(said):
        if word not in CERTAIN:
            continue
        place = place_of(said, i)
        if not place:
            continue
        hedged, same = None, False
        for words in (words_of(sentence) for sentence in evidence):
            for j, other in enumerate(words):
                if other not in CLASSES or not place_of(words, j) & place:
                    continue
                if other in CERTAIN:
                    same = True
                elif hedged is None:
                    hedged = (words, j)
        if hedged and not same:
            conflicts.append((word_and_next(said, i), word_and_next(*hedged)))
    return conflicts
