"""A hedge stated as a certainty: "you must listen" against "you can listen", "ketamine will help" against "ketamine may help".

What it does: `overstated_hedges(claim, evidence)` finds each word of the claim that states a
certainty or a necessity (`CERTAIN`: "must", "will", "certainly", "proves", ...) and, in the
evidence sentences, a word that only allows it (`HEDGED`: "can", "may", "possibly", "suggests",
...) standing in the same place: sharing one of its nearest content words before it or after it
(`qa.eval.word_places.place_of`). Where the evidence hedges there and never says the claim's own
word there, the two phrases are returned side by side: ("must listen", "can listen").
The two classes are English's modal verbs, modal adverbs and the verbs of evidence, a closed set
of the grammar like its negations; the other way round ("must" said as "may") is no conflict: the
source still backs the weaker claim. `unbacked_certainties(claim, evidence)` finds a certainty of the
claim other than "will" (which also just tells the future) where no evidence sentence states any
certainty at all: "their frames must be made of wood" against "daybeds come in wood": the source
describes, the claim lays down a rule.
What it does not: read a hedge's scope beyond its place, hedges said in phrases ("it is possible
that"), or decide support (`qa.eval.support` does).
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.eval.word_places import conflicts_in_place, word_and_next, words_of

HEDGED = frozenset(
    """can could may might possibly probably likely perhaps maybe potentially presumably apparently seemingly
    suggest suggests suggested suggesting indicate indicates indicated appear appears appeared seem seems seemed""".split()
)
CERTAIN = frozenset(
    """must will shall certainly definitely surely undoubtedly necessarily always invariably
    prove proves proved proven establish establishes established confirm confirms confirmed""".split()
)


def _certainty(words: Sequence[str], i: int) -> int | None:
    """1 for a word of `CERTAIN`, 0 for one of `HEDGED`, None for any other word."""
    return 1 if words[i] in CERTAIN else 0 if words[i] in HEDGED else None


def overstated_hedges(claim: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """(claim phrase, evidence phrase) for each certainty of `claim` that the evidence states only as
    a possibility in the same place; empty when none."""
    return conflicts_in_place(words_of(claim), evidence, _certainty, int.__gt__)


# "will" also just tells the future ("the trial will enrol 40 patients"), so it never asks the
# evidence for a certainty; said in the evidence it still backs one.
ASSERTIVE = CERTAIN - {"will"}


def unbacked_certainties(claim: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """(claim phrase, "") for each certainty of `claim` other than "will" when no sentence of
    `evidence` states any certainty (a word of `CERTAIN`); empty otherwise."""
    if any(word in CERTAIN for sentence in evidence for word in words_of(sentence)):
        return []
    said = words_of(claim)
    return [(word_and_next(said, i), "") for i in range(len(said)) if said[i] in ASSERTIVE]
