"""Test (a) of the support check: the key-term veto, and the verdict type.

What it does: `passage_sentences` cuts passages into the sentences the check reads (a bibliography
entry is one); `term_check` / `missing_terms` say which key terms of a claim (`qa.eval.key_terms`)
no single passage sentence holds with the others (a direction word only by a word of its class in
the sentence that says the rest of the claim); `swapped_terms` tells a term copied in from
another sentence; `veto` applies all of it over the cited passages and gives the passages the
judge may read, or the unsupported `SupportResult` naming the terms.
What it does not: weigh the claim's words or read it with a model (see `qa.eval.support`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ingest.sentences import split_sentences
from qa.eval.key_terms import BIBLIOGRAPHY_LINE, Term, _SentenceTerms, _sentence_terms, fold, key_terms, strip_citation_markers
from qa.eval.name_forms import other_form_words
from qa.eval.words import content_words, word_overlap

# A claim with at least this share of its content words in one passage sentence copies it, when
# it also holds at least `COPIED_BACK` of that sentence's: a run of a web page that sentence
# splitting left whole (hundreds of words, no full stop) holds most words of any claim on its topic.
NEAR_COPY = 0.75
COPIED_BACK = 0.3


@dataclass
class SupportResult:
    """The verdict on one sentence. `score` is the fitted judge's probability that the sentence is
    supported (NaN when no passage passed the key-term test, so it was not scored; -inf when there
    was no passage); `missing` lists the key terms that the passage sentence closest to backing it
    lacks; `novel` the claim's content words absent from its best evidence sentences; `evidence`
    the best evidence sentence; `relevance` the cross-encoder score of (sentence, evidence)."""

    supported: bool
    reason: str
    score: float
    missing: list[str] = field(default_factory=list)
    novel: list[str] = field(default_factory=list)
    evidence: str = ""
    relevance: float = float("nan")


def passage_sentences(passages: Iterable[str]) -> list[str]:
    """The sentences of the passages, cut as ingest cuts documents (`ingest.sentences`): a
    sentence with "(Grabski et al., Am J Psychiatry. 2022;...)" is one, and so is a line of a
    bibliography ("[5] Krupitsky EM, ...", or without its number: "Krupitsky EM, Burakov AM, ...",
    "American Psychiatric Association. (2013). ...") - one entry, one claim about one paper."""
    sentences = []
    for passage in passages:
        for line in passage.split("\n"):
            if BIBLIOGRAPHY_LINE.match(line.strip()):
                sentences.append(line.strip())
            else:
                sentences += [sentence.text_in(line) for sentence in split_sentences(line)]
    return sentences


def _held(term: Term, held: _SentenceTerms, claim: _SentenceTerms | None, forms: Counter | None = None) -> bool:
    """Whether a passage sentence holds `term` as often as the claim states it (`claim` None:
    once is enough). A name counts also in another of its forms (`forms`, from
    `qa.eval.name_forms.other_form_words`): "Libyan" is held by "Libya"."""
    if term.kind == "number":
        number, unit = term.key
        present = (number, unit) in held.quantities if unit else held.numbers[number] > 0
        return present and held.numbers[number] >= (claim.numbers[number] if claim else 1)
    if term.kind == "name":
        said = held.words[term.key[0]] + (forms[term.key[0]] if forms else 0)
        return said >= max(1, claim.words[term.key[0]] if claim else 1)
    return held.directions[term.key[0]] >= max(1, claim.directions[term.key[0]] if claim else 1)


def term_check(sentence: str, passages: Sequence[str]) -> tuple[list[str], list[str]]:
    """Test (a): `(missing, absent)` for `sentence` against `passages` (both empty: it passes).

    The key terms (see `key_terms`) must all be found in ONE sentence of one passage (see
    `passage_sentences`), as often as the claim states them: "Krupitsky EM, Krupitsky AM" is not
    backed by "Krupitsky EM, Burakov AM", and "A 2023 Phase 2 trial (Grabski ...)" is not backed
    by a passage where 2023 belongs to the next sentence. `missing` lists the terms that the
    passage sentence holding most of them lacks; `absent`, those no passage holds anywhere.

    A number with a unit needs the same number with the same unit ("0.8 mg" is not backed by
    "0.8 mg/kg", "2 months" not by "2 weeks"); a bare number needs the same number with any unit
    or none ("96" is backed by "96 people"). Numbers compare as written after `fold`: exact, no
    rounding, no tolerance. Names and direction words compare as whole lower-case words; a month
also as its short form ("November" is held by "Nov 10"), a name also in another of its forms
(`qa.eval.name_forms`: "Libyan" by "Libya", "FDA" by "Food and Drug Administration").
    A claim that merges facts of two source sentences fails this test: an answer should say them
    in two sentences, each with its citation.
    """
    claim = strip_citation_markers(sentence)
    terms = key_terms(claim)
    if not terms:
        return [], []
    counts = _sentence_terms(claim)
    best: list[str] | None = None
    texts = passage_sentences(passages)
    closest = _closest_sentences(claim, texts) if any(term.kind == "direction" for term in terms) else set()
    for i, text in enumerate(texts):
        held, forms = _sentence_terms(text), other_form_words(claim, text)
        # A direction word counts only in a sentence that says most of what the claim says: "higher
        # cravings" is not backed by "more abstinence" in the sentence before "lower cravings".
        lacking = [
            term.surface for term in terms if not _held(term, held, counts, forms) or (term.kind == "direction" and i not in closest)
        ]
        if best is None or len(lacking) < len(best):
            best = lacking
        if not lacking:
            return [], []
    everything = _sentence_terms("\n".join(passages))
    everywhere = other_form_words(claim, "\n".join(passages))
    folded = fold("\n".join(passages))

    def absent(term: Term) -> bool:
        if term.kind != "direction":
            return not _held(term, everything, None, everywhere)
        # Another word of the same direction backs a claim's only where the claim is said; the
        # claim's own word, anywhere in the passage (then it is apart, weighed by the judge).
        said = any(_held(term, _sentence_terms(texts[i]), None) for i in closest)
        return not said and not re.search(rf"(?<![\w-]){re.escape(term.surface.lower())}(?![\w-])", folded)

    return (best if best is not None else [t.surface for t in terms]), [t.surface for t in terms if absent(t)]


def _closest_sentences(claim: str, sentences: Sequence[str]) -> set[int]:
    """The indexes of the sentences sharing the most content words with `claim` (all of them when
    none shares any)."""
    words = set(content_words(claim))
    shared = [len(words & set(content_words(text))) for text in sentences]
    most = max(shared, default=0)
    return {i for i, count in enumerate(shared) if count == most}


def missing_terms(sentence: str, passages: Sequence[str]) -> list[str]:
    """The key terms of `sentence` that no single passage sentence holds with the others (test (a)
    of the support check; see `term_check`). Empty when the sentence passes (a)."""
    return term_check(sentence, passages)[0]


def swapped_terms(claim: str, passage: str) -> tuple[list[str], list[str]]:
    """`(apart, swapped)`: the key terms of `claim` that the passage sentence holding most of them
    lacks (found elsewhere or not at all), and those of them that look swapped - the claim is a
    near copy of that sentence (at least `NEAR_COPY` of its content words are there, and at least
    `COPIED_BACK` of the sentence's are the claim's) and the term is a number ("2023" where it
    says "2022"), or the sentence states another term of the same kind that the claim does not
    ("Freeman" where the sentence names "Krupitsky"). A claim that joins facts of two sentences
    has terms apart; a claim that copies a sentence and changes one of its terms has a swap."""
    terms = key_terms(claim)
    if not terms:
        return [], []
    counts = _sentence_terms(claim)
    best: tuple[list, str] | None = None
    for text in passage_sentences([passage]):
        held = _sentence_terms(text)
        lacking = [term for term in terms if not _held(term, held, counts, other_form_words(claim, text))]
        if best is None or len(lacking) < len(best[0]):
            best = (lacking, text)
        if not lacking:
            return [], []
    lacking, sentence = best if best else (terms, "")
    if word_overlap(claim, [sentence]) < NEAR_COPY or word_overlap(sentence, [claim]) < COPIED_BACK:
        return [t.surface for t in lacking], []
    stated = {(t.kind, t.key) for t in terms}
    others = {t.kind for t in key_terms(sentence) if (t.kind, t.key) not in stated}
    return [t.surface for t in lacking], [t.surface for t in lacking if t.kind == "number" or t.kind in others]


def veto(claim: str, passages: Sequence[str]) -> tuple[list[str], tuple[int, int], SupportResult | None]:
    """Test (a) over each passage: `(holding, apart, None)` with the passages that hold every key
    term of `claim` with no term swapped (see `swapped_terms`),
    and `apart` = (numbers, other terms) that no single sentence of them holds with the rest (the fewest over the passages; a
    signal for the judge); or `([], (0, 0), verdict)` with the unsupported verdict that says
    which terms are missing or swapped."""
    kinds = {term.surface: term.kind for term in key_terms(claim)}
    kept: list[tuple[str, tuple[int, int]]] = []
    swaps: list[str] = []
    for text in passages:
        missing, absent = term_check(claim, [text])
        if absent:
            continue
        apart, swapped = swapped_terms(claim, text) if missing else ([], [])
        if swapped:
            swaps += [term for term in swapped if term not in swaps]
            continue
        numbers = sum(kinds.get(term) == "number" for term in apart)
        kept.append((text, (numbers, len(apart) - numbers)))
    if kept:
        apart = min(count for _, count in kept)
        return [text for text, count in kept if count == apart], apart, None
    missing, absent = term_check(claim, passages)
    parts = []
    if absent:
        parts.append("not in the cited passages: " + ", ".join(f"'{term}'" for term in absent))
    elif swaps:
        parts.append("in the cited passage, but where the closest sentence states another: " + ", ".join(f"'{term}'" for term in swaps))
    else:
        apart_terms = [term for term in missing if term not in absent]
        parts.append("not in the sentence that holds the rest: " + ", ".join(f"'{term}'" for term in apart_terms))
    return [], (0, 0), SupportResult(False, "; ".join(parts), float("nan"), missing)
