"""Faithful variants of a claim that change its words, not its meaning: supported pairs for the support head.

What it does: `paraphrases(claim)` returns `Alteration`s (family "paraphrase") of three kinds, each
one edit:
- a WordNet synonym: a word replaced by another one-word lemma of its most frequent sense, where
  the word is that lemma as written and is no quantity, modal or negation word of
  `bench.data.opposites`, and the new word is not polar either ("below" -> "beneath",
  "approximately" -> "roughly"; never "below" -> "under", which has an opposite of its own);
- a typo: two adjacent letters of a long lower-case word exchanged (a claim or a page spelt wrong
  still says what it says: "patriots" / "partiots");
- an adverb left out ("significantly more" -> "more"): the claim says less, which the evidence
  still backs.
The head's other supported pairs are copies of their evidence and a short table of synonyms, so it
learnt that any changed word is a contradiction ("230 metres below the surface" against "230
meters under ground" read as "above ground" did); these teach it which changes keep the meaning.
WordNet is read from Debian's `wordnet-base` (/usr/share/wordnet), as `bench.fit.antonyms` reads
it; without it, only typos are made.
What it does not: make opposites (`bench.data.opposites`), or judge anything.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

from bench.data.opposites import AUXILIARIES, MODALS, NEGATION_REMOVALS, OPPOSITE, QUANTIFIERS, Alteration, _cased

WORDNET = Path("/usr/share/wordnet")
# Words whose replacement can turn a claim round: never replaced, never put in.
FIXED = (set(QUANTIFIERS) | set(QUANTIFIERS.values()) | set(MODALS) | set(MODALS.values()) | set(NEGATION_REMOVALS)
         | set(NEGATION_REMOVALS.values()) | set(AUXILIARIES)
         | {"not", "no", "nor", "hardly", "barely", "scarcely", "nearly", "almost", "only", "just", "even"})
POLAR = FIXED | set(OPPOSITE)  # a polar word ("below") may give way to a synonym that is not polar ("beneath")
WORD = re.compile(r"[A-Za-z][a-z]+")
TYPO_LENGTH = 7  # a typo only in a word this long: a short word misspelt is often another word
FAMILY = "paraphrase"
INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"))


@lru_cache(maxsize=1)
def _wordnet() -> tuple[dict[str, list[str]], frozenset[str]]:
    """(lemma -> the other one-word lemmas of its most frequent sense, the adverbs), or empty without
    WordNet. Only lemmas of one part of speech, whatever their inflection ("located": a verb alone;
    not "plant", "control", "received", which are also nouns or verbs): in a claim, a word of two
    parts of speech is too often the other one."""
    if not (WORDNET / "index.adv").is_file():
        return {}, frozenset()
    first_sense: dict[str, dict[str, list[str]]] = {}
    for pos in ("noun", "verb", "adj", "adv"):
        words_at: dict[int, list[str]] = {}
        for line in (WORDNET / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if not line.startswith(" "):
                fields = line.split(" | ")[0].split()
                count = int(fields[3], 16)
                words_at[int(fields[0])] = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).lower() for i in range(count)]
        for line in (WORDNET / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if not line.startswith(" "):
                fields = line.split()
                lemma, pointers = fields[0], int(fields[3])
                first_sense.setdefault(lemma, {})[pos] = words_at.get(int(fields[6 + pointers]), [])

    def parts_of_speech(word: str) -> set[str]:
        stems = {word} | {word[: -len(end)] + add for end, add in INFLECTIONS if word.endswith(end)}
        return {pos for stem in stems for pos in first_sense.get(stem, {})}

    synonyms = {}
    for lemma, senses in first_sense.items():
        if not lemma.isalpha() or lemma in FIXED or parts_of_speech(lemma) != set(senses) or len(senses) != 1:
            continue
        (pos, words), = senses.items()
        others = [w for w in words if w.isalpha() and w != lemma and w not in POLAR]
        if pos != "noun" and others:
            synonyms[lemma] = others
    return synonyms, frozenset(lemma for lemma, senses in first_sense.items() if set(senses) == {"adv"})


def is_misspelling(variant: Alteration) -> bool:
    """Whether a variant is the typo kind (its word's letters, two of them exchanged)."""
    return sorted(variant.before) == sorted(variant.after) and variant.before != variant.after


def _replaced(claim: str, match: re.Match, new: str) -> str:
    return claim[: match.start()] + new + claim[match.end():]


def paraphrases(claim: str, rng: random.Random) -> list[Alteration]:
    """Faithful one-edit variants of `claim` (see the module docstring), in a deterministic order given `rng`."""
    synonyms, adverbs = _wordnet()
    found = []
    for match in WORD.finditer(claim):
        word = match.group()
        lower = word.lower()
        if lower in FIXED or not word.islower():  # a capitalised word may be a name: the key terms' business
            continue
        if lower in synonyms:
            new = rng.choice(synonyms[lower])
            found.append(Alteration(FAMILY, word, new, _replaced(claim, match, new)))
        if len(word) >= TYPO_LENGTH and lower not in POLAR:
            at = rng.randrange(1, len(word) - 2)
            typo = word[:at] + word[at + 1] + word[at] + word[at + 2:]
            if typo != word:
                found.append(Alteration(FAMILY, word, typo, _replaced(claim, match, typo)))
        if lower.endswith("ly") and lower in adverbs and lower not in POLAR:
            text = re.sub(r"\s{2,}", " ", _replaced(claim, match, "")).replace(" ,", ",").strip()
            found.append(Alteration(FAMILY, word, "", text))
    return [a for a in found if a.text != claim]
