"""A quantity said otherwise than the evidence says it: "most patients" against "few patients", "all trials" against "some trials", "also" against "only".

What it does: `quantifier_conflicts(claim, evidence)` places each quantity word of the claim on
English's scale of quantity (`SCALE`: none < few < some < many < most < all, with the adverbs of
frequency beside their determiners: never, rarely, sometimes, often, usually, always) and finds, in
the evidence sentences, a quantity word of another step standing in the same place: sharing one of its
nearest content words before it or after it (`qa.eval.word_places.place_of`). Where the evidence
never says the claim's own step in that place, the two conflict when
- the claim says more than the evidence by two steps or more, or says all where the evidence
  does not ("most patients" against "some patients", "always" against "usually"): the source does
  not back the stronger claim; one step below all is a rewording ("mainly" for "commonly");
- one says none and the other some ("no patients" against "a few patients");
- the claim says few or none where the evidence says many or more ("few patients" against "most
  patients").
The two phrases are returned side by side: ("most patients", "some patients"). A claim weaker than
its evidence ("some" said of "all") is backed by it. "a few" is "some"; a quantity word the claim
or the evidence negates ("not all") is left out: its step is not its own.
The focus particles that say whether what is said holds of it alone or of others too
(`PARTICLES`: "only", "solely", "exclusively" against "also", "additionally") conflict in the same
place whichever way round: "is also approved for anesthesia" implies another use where "is only
approved for anesthesia" denies one.
The scale and the particles are closed classes of the grammar, like the negations and the modal
verbs (`qa.eval.hedges`).
What it does not: read numbers (the key-term veto does), quantities said in phrases ("the
majority of"), or decide support (`qa.eval.support` does).
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.eval.key_terms import DIRECTION_WORDS
from qa.eval.word_places import conflicts_in_place, words_of

SCALE = {
    **dict.fromkeys("no none never nobody nothing neither".split(), 0),
    **dict.fromkeys("few rarely seldom hardly".split(), 1),
    **dict.fromkeys("some several sometimes occasionally".split(), 2),
    **dict.fromkeys("many much often frequently commonly".split(), 3),
    **dict.fromkeys("most usually mostly generally typically mainly largely".split(), 4),
    **dict.fromkeys("all every each always everyone everybody everything".split(), 5),
}
MANY = 3  # few or none said where the evidence says this step or more is its contrary
ALL = 5
EXCLUSIVE, INCLUSIVE = 0, 1
PARTICLES = {**dict.fromkeys("only solely exclusively".split(), EXCLUSIVE), **dict.fromkeys("also additionally".split(), INCLUSIVE)}


def _negated(words: Sequence[str], i: int) -> bool:
    before = words[i - 1] if i else ""
    return before.endswith("n't") or DIRECTION_WORDS.get(before) == "NEGATION"


def _step(words: Sequence[str], i: int) -> int | None:
    """The step of the quantity word at `i`, or None: no quantity word, or a negated one."""
    step = SCALE.get(words[i])
    if step is None or _negated(words, i):
        return None
    return SCALE["some"] if words[i] == "few" and i and words[i - 1] == "a" else step


def _particle(words: Sequence[str], i: int) -> int | None:
    """EXCLUSIVE or INCLUSIVE for a focus particle at `i` that is not negated ("not only"), else None."""
    kind = PARTICLES.get(words[i])
    return None if kind is None or _negated(words, i) else kind


def conflicting(said: int, read: int) -> bool:
    """Whether a claim's step `said` is unbacked by, or contrary to, the evidence's step `read`."""
    if said == read:
        return False
    overstated = said > read and (said == ALL or said - read >= 2)
    return overstated or min(said, read) == 0 or (said <= 1 and read >= MANY)


def quantifier_conflicts(claim: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """(claim phrase, evidence phrase) for each quantity or focus particle of `claim` the evidence
    states otherwise in the same place; empty when none."""
    said = words_of(claim)
    return conflicts_in_place(said, evidence, _step, conflicting) + conflicts_in_place(said, evidence, _particle, int.__ne__)

