"""The question as the pipeline reads it: one typo respelt, its case and closing mark made canonical.

What it does: `normalise(question, vocabulary)` returns the question that is searched, scored and
decided on, so that the same question typed three ways gets the same answer:
- a word that neither the corpus nor everyday English knows, and that is one edit (a letter
  added, dropped, changed, or two neighbours swapped) from a word the corpus or everyday English
  does know, is respelt to it: the corpus's most frequent such word first ("ketmaine" ->
  "ketamine", "alchohol" -> "alcohol"), else the commonest everyday English one that keeps every
  letter typed, two neighbours swapped (pyspellchecker's frequency table, shipped with the
  package: "desrcibe" -> "describe"; a word English does not know yet, "vaping", is not made
  "raping" or "gaping": a letter changed, added or dropped to reach a word the documents never
  use guesses at the meaning, not the spelling). A name (capitalised
  inside the question) is respelt only to a word of the corpus; acronyms ("IgD"), words in
  capitals, contractions, words under four letters (but those below) and names under six are
  left as typed;
- a word typed without a vowel ("ppl", "yrs") that neither the corpus nor English knows is read
  as the corpus's commonest word it spells that way: its first letter, then its consonants in
  order ("people", "years"), unless everyday English's commonest such word is another ("pls" is
  "please", so not the corpus's "plus"). Only the corpus's words: an acronym typed in lower case
  ("lsd") must not become an English word whose consonants it happens to be ("leased");
- a question typed without a single capital gets the capitals the corpus gives its words
  ("dakwar" -> "Dakwar": the corpus never writes it in lower case, and writes it with a capital
  inside a sentence or English does not know it; a word it only opens sentences with, "Published
  2018 Aug 2.", is no name), and a word neither the corpus nor English knows is taken for a name;
- the closing mark is always one question mark ("...trial" and "...trial?" read alike).
`CorpusVocabulary` counts the words of an index's chunks once per loaded index.
What it does not: change the question shown to the user (the answer keeps it as typed), or the
earlier turns of a conversation.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import Counter
from functools import lru_cache

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
MIN_RESPELT_LETTERS = 4  # shorter words have too many neighbours one edit away to guess from
MIN_ABBREVIATED_LETTERS = 3  # "ppl"; two letters ("bc", "tx") spell too many words
VOWELS = re.compile(r"[aeiou]")
# An everyday English word to respell to is one of the ~25,000 commonest in pyspellchecker's table
# (its rarest entries are names and oddities: "monkeypox" must not become "monkeypot").
MIN_ENGLISH_COUNT = 500
MIN_NAME_LETTERS = 6  # a short name is often one edit from a word ("Fahr" ~ "far")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
CLOSING_MARKS = re.compile(r"[\s?.!]+$")
OPENING_LOOKBACK = 8  # characters read before a capitalised word to tell whether it opens a sentence


@lru_cache(maxsize=1)
def english():
    """pyspellchecker's English word-frequency table (loaded once; ~0.1 s)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


@lru_cache(maxsize=1)
def english_without_vowels() -> dict[str, str]:
    """Each everyday English word's spelling without its vowels -> the commonest word so spelt."""
    commonest: dict[str, tuple[int, str]] = {}
    for word, count in english().word_frequency.dictionary.items():
        skeleton = without_vowels(word)
        if count >= MIN_ENGLISH_COUNT and word.isalpha() and len(skeleton) < len(word):
            commonest[skeleton] = max(commonest.get(skeleton, (0, "")), (count, word))
    return {skeleton: word for skeleton, (_, word) in commonest.items()}


def swaps(word: str) -> set[str]:
    """Every string with two neighbouring letters of `word` swapped."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


def one_edit(word: str) -> set[str]:
    """Every string one edit from `word`: a letter dropped, two neighbours swapped, a letter changed or added."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    inserts = {a + c + b for a, b in splits for c in LETTERS}
    return deletes | swaps | changes | inserts


class CorpusVocabulary:
    """The words of an index's chunks, lower-cased, with their counts and how often each is written
    in lower case (a word never written so is a name)."""

    def __init__(self, texts) -> None:
        self.counts: Counter[str] = Counter()
        self.written_lower: Counter[str] = Counter()
        self.capitalised_inside: Counter[str] = Counter()
        self._skeletons: dict[str, str] | None = None
        for text in texts:
            for match in WORD.finditer(text):
                word = match.group(0)
                lowered = word.lower()
                self.counts[lowered] += 1
                if word.islower():
                    self.written_lower[word] += 1
                elif not _opens_sentence(text, match.start()):
                    self.capitalised_inside[lowered] += 1

    def spelt_without_vowels(self, abbreviated: str) -> str | None:
        """The commonest word of the corpus that `abbreviated` spells without its vowels ("ppl" ->
        "people": the first letter, then the consonants), or None."""
        if self._skeletons is None:
            skeletons: dict[str, str] = {}
            for word, count in self.counts.most_common():
                skeleton = without_vowels(word)
                if len(skeleton) < len(word):
                    skeletons.setdefault(skeleton, word)
            self._skeletons = skeletons
        return self._skeletons.get(abbreviated)

    def knows(self, lowered: str) -> bool:
        return lowered in self.counts

    def is_name(self, lowered: str) -> bool:
        """Whether the corpus has the word, never writes it in lower case, and writes it with a capital
        inside a sentence ("Dakwar", "FDA") or English does not know it. A word the corpus only opens
        sentences with is an everyday word ("Published 2018 Aug 2." in a reference: "published")."""
        if lowered not in self.counts or self.written_lower[lowered]:
            return False
        return bool(self.capitalised_inside[lowered]) or lowered not in english()


class _Vocabularies:
    """Per index: its `CorpusVocabulary`, built once per loaded index (and rebuilt when it changes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[int, tuple[object, CorpusVocabulary]] = {}

    def __call__(self, index) -> CorpusVocabulary:
        with self._lock:
            entry = self._cache.get(id(index))
            if entry is None or entry[0] is not index.chunks:
                vocabulary = CorpusVocabulary(f"{chunk.title}\n{chunk.text}" for chunk in index.chunks)
                entry = self._cache[id(index)] = (index.chunks, vocabulary)
            return entry[1]


vocabulary_of = _Vocabularies()


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens `text`, a line, or a sentence (after ".", "!", "?", ":" or a
    bullet), quotes and brackets before it aside; read from the few characters before it."""
    lead = text[max(0, start - OPENING_LOOKBACK) : start]
    bare = lead.rstrip(" \t\"'\u201c\u2018([")
    if not bare:  # the text's start, or too far back to tell: no sign of a name either way
        return True
    return bare[-1] in ".!?:\n\u2022"


def without_vowels(word: str) -> str:
    """`word`'s first letter, then its other letters but the vowels ("people" -> "ppl")."""
    return word[:1] + VOWELS.sub("", word[1:])


def respelt(lowered: str, vocabulary: CorpusVocabulary, corpus_only: bool = False) -> str | None:
    """The known word one edit from an unknown `lowered` word, or that it spells without its vowels
    (see the module docstring), or None; `corpus_only` for a name, which only the corpus can spell."""
    table = english()
    if len(lowered) < MIN_ABBREVIATED_LETTERS or vocabulary.knows(lowered) or lowered in table:
        return None
    # Only a word with no vowel at all: "und", or "oth" of "1oth", is a foreign word or a typo.
    if not VOWELS.search(lowered):
        word = vocabulary.spelt_without_vowels(lowered)
        return word if english_without_vowels().get(lowered, word) == word else None
    if len(lowered) < MIN_RESPELT_LETTERS:
        return None
    near = one_edit(lowered)
    # Two letters swapped keeps every letter typed: such a word goes first ("statde" is "stated",
    # not the commoner "state"), then the commonest.
    in_corpus = [word for word in near if vocabulary.knows(word)]
    if in_corpus:
        return max(in_corpus, key=lambda word: (sorted(word) == sorted(lowered), vocabulary.counts[word], word))
    if corpus_only:
        return None
    common = [word for word in table.known(swaps(lowered)) if table[word] >= MIN_ENGLISH_COUNT]
    return max(common, key=lambda word: (table[word], word)) if common else None


def _respelt_as_typed(typed: str, first: bool, vocabulary: CorpusVocabulary) -> str:
    """`typed` respelt (see `respelt`) in its own case. A word with capitals inside ("IgD") or in
    capitals only is an acronym or a name as typed; a capitalised word inside the question is a
    name, respelt only to the corpus's words; a contraction ("doesn't") is left alone."""
    head, apostrophe, tail = typed.partition("'")
    if (apostrophe and tail.lower() != "s") or any(ch.isupper() for ch in head[1:]):
        return typed
    name = head[:1].isupper() and not first
    if name and len(head) < MIN_NAME_LETTERS:
        return typed
    word = respelt(head.lower(), vocabulary, corpus_only=name)
    if word is None:
        return typed
    return (word[:1].upper() + word[1:] if head[:1].isupper() else word) + apostrophe + tail


def normalise(question: str, vocabulary: CorpusVocabulary) -> str:
    """The question as searched, scored and decided on (see the module docstring)."""
    all_lower = not any(ch.isupper() for ch in question)
    positions = itertools.count()

    def read(match: re.Match) -> str:
        first = next(positions) == 0
        word = _respelt_as_typed(match.group(0), first, vocabulary)
        base = word.partition("'")[0]
        if all_lower and (first or vocabulary.is_name(base) or (
            len(base) >= MIN_RESPELT_LETTERS and not (vocabulary.knows(base) or base in english())
        )):
            word = word[:1].upper() + word[1:]
        return word

    text = CLOSING_MARKS.sub("", WORD.sub(read, question).strip())
    return f"{text}?" if text else question
