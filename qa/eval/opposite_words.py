"""A word of the claim standing where its evidence has the word's opposite: "the late stages" against "the early stages".

What it does: `opposite_words(claim, evidence)` looks at each word of the claim that has an
opposite in WordNet (`qa.eval.antonyms`, built by `python -m bench.fit.antonyms`: 6,000 lemmas in
their inflected forms, "won"/"lost", "northern"/"southern", "imported"/"exported"; with it, the
opposite prepositions WordNet lacks, "before"/"after"), short words that search ignores among them
("same", "over"; in the evidence down to two letters, "up", "on"), and finds, in the evidence sentences, that opposite in
the same place: sharing one of its nearest content words before it or after it
(`qa.eval.word_places.place_of`).
Where the evidence has the opposite there and never the claim's own word there (nor another word
with opposites of its own, a rewording; an auxiliary such as "has" is none), the two phrases are
returned side by side: ("late stages", "early stages"). A comparison said from the other side
("B fared better than A" for "A fared worse than B", `qa.eval.comparisons`) is the same claim. A word the claim negates ("not high"
against "low") and an opposite the evidence negates ("did not win" against "lost") are read as
agreeing and are skipped.
The key-term veto asks only that the claim's names, numbers and direction words appear in the
passage; the judge reads overlap and relevance, which a one-word opposite barely moves. This reads
the one word that changed.
What it does not: tell senses apart (the place is what makes "light" against "dark" an opposite,
not "light" against "heavy"), read other opposites WordNet lacks or phrases ("went up"), or decide
support (`qa.eval.support` does).
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.eval.antonyms import lemmas_of, opposites_of
from qa.eval.comparisons import said_from_the_other_side
from qa.eval.key_terms import DIRECTION_WORDS
from qa.eval.word_places import BOUNDARY, NEIGHBOURS, place_of, stem_of, words_of
from qa.text.bm25 import STOP_WORDS

NEGATED_WITHIN = 3  # a negation this many words before a word turns it into its opposite


def _negated(words: Sequence[str], i: int) -> bool:
    return any(DIRECTION_WORDS.get(w) == "NEGATION" or w.endswith("n't") for w in words[max(0, i - NEGATED_WITHIN) : i])


def opposite_words(claim: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """(claim phrase, evidence phrase) for each word of `claim` whose opposite stands in its place
    in `evidence` where neither the word itself nor another word stands as well or better; empty
    when none does."""
    said = words_of(claim)
    read = [words_of(sentence) for sentence in evidence]
    conflicts = []
    turned = said_from_the_other_side(claim, evidence)
    for i, word in enumerate(said):
        lemmas = lemmas_of(word)
        if not lemmas or word in turned or _negated(said, i):
            continue
        opposites = opposites_of(word)
        if not opposites:
            continue
        place = place_of(said, i, lemmas | opposites)
        if not place:
            continue
        # Every content word of the evidence that stands in the claim word's place, by how many of
        # its two sides match, then by how many words right beside it are the claim's, stop words
        # included. A rewording ("decreased" for "reduced") stands there too, so an opposite only
        # counts when it stands there better than every other word that has opposites of its own
        # (a word of a polarity, as a rewording of one is): "civil war known as the" does not
        # hide "known" from "struggle unknown as the".
        opposed, rival, same = None, (0, 0), False
        neighbours = {stem for _, stem in place}
        for words in read:
            for j, other in enumerate(words):
                if len(other) < 2:
                    continue
                found = lemmas_of(other)
                if other == word or found & lemmas or found & opposites:
                    matched = len(place_of(words, j, lemmas | opposites) & place)
                    if not matched:
                        continue
                    standing = (matched, _beside(said, i, words, j))
                    if other == word or found & lemmas:
                        same = True
                    elif not _negated(words, j) and (opposed is None or standing > opposed[0]):
                        opposed = (standing, words, j)
                elif found and other not in STOP_WORDS and stem_of(other) not in neighbours:
                    matched = len(place_of(words, j, frozenset()) & place)
                    rival = max(rival, (matched, _beside(said, i, words, j) if matched else 0))
        if opposed and not same and opposed[0] > rival:
            _, words, j = opposed
            conflicts.append((_phrase(said, i), _phrase(words, j)))
    return conflicts


def _beside(said: Sequence[str], i: int, read: Sequence[str], j: int) -> int:
    """How many words right before and right after position `j` of `read` are those beside position
    `i` of `said`, counted outwards until one differs."""
    count = 0
    for step in (-1, 1):
        k = 1
        while 0 <= i + step * k < len(said) and 0 <= j + step * k < len(read) and said[i + step * k] == read[j + step * k]:
            count += 1
            k += 1
    return count


def _phrase(words: Sequence[str], i: int) -> str:
    """The word at `i` with its next content word, or its previous one at the end of a clause."""
    for j in range(i + 1, min(len(words), i + 1 + NEIGHBOURS)):
        if words[j] == BOUNDARY:
            break
        if words[j] not in STOP_WORDS:
            return " ".join(words[i : j + 1])
    for j in range(i - 1, max(-1, i - 1 - NEIGHBOURS), -1):
        if words[j] == BOUNDARY:
            break
        if words[j] not in STOP_WORDS:
            return " ".join(words[j : i + 1])
    return words[i]
