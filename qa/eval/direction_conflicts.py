"""Opposite directions said of the same thing: "more relapse" in a claim, "lower relapse risk" in its evidence.

What it does: `direction_conflicts(claim, evidence)` pairs each direction word of the claim
(`qa.eval.key_terms.DIRECTION_WORDS`: more/less, higher/lower, increased/reduced, improve/worsen,
...) with the thing it is said of - the first content word after it, within `REACH` words
("more relapse", "reduced the cravings") - and looks for the same thing in the evidence sentences
(the same first `STEM` letters; a prefix, since a light stem keeps "relapse" apart from
"relapses"), where a verb form of a direction is also read of the words just before it ("cravings
decreased", "relapse rates decreased"), so that evidence is read generously. Where the evidence
says only the opposite direction of that thing and never the claim's, the two phrases are returned
side by side: ("more relapse", "lower relapse risk"). A claim that says both ("lower relapse and more
abstinence") is read word by word, so each direction is checked against its own thing.
The key-term veto (`qa.eval.term_veto`) only asks that the claim's direction words appear somewhere
in the passage, and the support head reads "more" beside "lower relapse" as a reworded sentence;
this reads which thing each direction is said of.
A comparison said from the other side ("B had lower X than A" for "A had higher X than B",
`qa.eval.comparisons.said_from_the_other_side`) is the same claim and is not read as opposed.
What it does not: read negation (a class of its own in the key-term veto), opposites outside the
direction classes, or decide support (`qa.eval.support` does).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.eval.comparisons import said_from_the_other_side
from qa.eval.key_terms import DIRECTION_WORDS, OPPOSITE_CLASS, fold, strip_citation_markers
from qa.text.bm25 import STOP_WORDS

REACH = 3  # words after a direction word in which to find the thing it is said of
STEM = 5  # "relapse" ~ "relapses", "craving" ~ "cravings"
BACK_REACH = 2  # words before a direction word in which evidence may name its thing ("relapse rates decreased")
PHRASE_AFTER = 1  # words shown after the thing in a side-by-side phrase
WORD = re.compile(r"[a-z][a-z'-]*")


def _content(word: str) -> bool:
    return word not in STOP_WORDS and word not in DIRECTION_WORDS and len(word) > 2


def _said_of(text: str, before_too: bool = False) -> list[tuple[str, str, str, str]]:
    """(direction class, thing's stem, phrase, phrase with the words after) for each direction word
    of `text` said of a thing: the first content word after it; with `before_too`, a verb form is
    also said of each content word in the `BACK_REACH` words before it ("relapse rates decreased")."""
    words = WORD.findall(fold(strip_citation_markers(text)))
    found = []
    for i, word in enumerate(words):
        direction = DIRECTION_WORDS.get(word)
        if direction not in OPPOSITE_CLASS:
            continue
        for j in range(i + 1, min(len(words), i + 1 + REACH)):
            if words[j] in DIRECTION_WORDS:  # another direction word starts its own phrase
                break
            if _content(words[j]):
                found.append((direction, words[j][:STEM], " ".join(words[i : j + 1]), " ".join(words[i : j + 1 + PHRASE_AFTER])))
                break
        # A verb form ("decreased", "improves", "failing") may follow its subject: every content
        # word just before it is a thing it may be said of. A comparative ("lower") comes before.
        for j in range(i - 1, max(-1, i - 1 - BACK_REACH), -1) if before_too and _verb_form(word) else ():
            if words[j] in DIRECTION_WORDS:
                break
            if _content(words[j]):
                found.append((direction, words[j][:STEM], " ".join(words[j : i + 1]), " ".join(words[j : i + 1])))
    return found


def _verb_form(word: str) -> bool:
    return word.endswith(("ed", "ing")) or (word.endswith("s") and not word.endswith("ss"))


def direction_conflicts(claim: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """(claim phrase, evidence phrase) for each thing the claim gives a direction the evidence
    gives only its opposite; empty when none does."""
    claimed = _said_of(claim)
    if not claimed:  # most claims give no direction: the evidence need not be read
        return []
    said = [item for sentence in evidence for item in _said_of(sentence, before_too=True)]
    turned = said_from_the_other_side(claim, evidence)
    conflicts = []
    for direction, thing, phrase, _ in claimed:
        if phrase.split()[0] in turned:  # "B had lower X than A" against "A had higher X than B": the same claim
            continue
        about = [(d, longer) for d, t, _, longer in said if t == thing]
        if about and all(d == OPPOSITE_CLASS[direction] for d, _ in about):
            conflicts.append((phrase, about[0][1]))
    return conflicts
