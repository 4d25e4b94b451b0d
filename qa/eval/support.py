"""The support check: is one answer sentence backed by the passages it cites?

No entailment (NLI) model ships in any package this project may install, so this is not an
entailment judge and is never called one. It is a *support check*, two tests that must both pass:

(a) **Key terms.** Every number (with its unit), year, dose, percentage, proper name, and every
    direction or negation word of the sentence appears in a passage — all of them in one
    sentence of one passage, as often as the claim states them (see `key_terms` for what
    counts and `term_check` for how they are matched, and why one sentence).
(b) **Score.** The cross-encoder (ms-marco-MiniLM-L-12-v2, `qa.rerank`) scores the pair
    (sentence, passage) at or above `SUPPORT_THRESHOLD`, for a passage that passes (a).
A sentence citing several passages is supported when one of them supports it.

(a) catches what a relevance model is blind to — a changed digit, a swapped dose, author, journal
or year, "higher" for "lower" — and (b) catches what a term list is blind to: a sentence about
something the passage does not discuss although it shares its numbers ("In the alcohol trial,
ketamine infusions were given at 0.8 mg/kg" against the cocaine trial's passage).

Normalisation: citation markers ("[1]", "[2, 3]") are removed from the sentence and the passages;
whitespace and case are folded; small spelled numbers count as digits ("two weeks" ~ "2 weeks");
units have one spelling ("40 minutes" ~ "40-minute" ~ "40 min"). Numbers are never loosened.

What it does: `sentence_support(sentence, passages)` returns a `SupportResult(supported, reason,
score, missing)`; `key_terms` and `missing_terms` are the pieces of (a), exposed for tests and
reports. The scorer is a parameter (`scorer(pairs) -> scores`), the real cross-encoder by default,
so tests of the logic run with fakes.
What it does not: split answers into sentences or decide which passages a sentence cites (see
`qa.eval.citations`); it never loosens a number ("0.8" is not "0.5", "96" is not "69", "0.8" is
not "0.85") and it cannot see a claim that reorders correct terms ("fewer days abstinent and more
relapses" passes (a)); the score in (b) measures topical relevance, not truth.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ingest.sentences import split_sentences
from qa.eval.key_terms import (  # noqa: F401 - re-exported: tests and reports import them from here
    BIBLIOGRAPHY_LINE,
    MARKER,
    QUANTITY,
    SMALL_NUMBERS,
    Term,
    UNIT_SPELLINGS,
    _SentenceTerms,
    _sentence_terms,
    fold,
    key_terms,
    names,
    quantities,
    strip_citation_markers,
)

# Calibrated by bench/calibrate_support.py (`python -m bench.calibrate_support`) on the
# `calibrate` split of tests/data/support_pairs.jsonl (55 pairs: 18 supported, 19 contradicted,
# 18 unrelated): sweeping -6.0 to 10.0 in steps of 0.5, the whole check (key terms + score) is
# most accurate, 0.909 (50/55), on the plateau 1.5 ... 5.5, whose middle is taken. Holdout split
# (27 pairs): 0.926 (25/27). Every supported pair passes on both splits (scores 5.4 to 10.3);
# every error is a contradicted pair sharing every key term with its passage ("methadone" for
# "naltrexone", "an FDA-approved medication" for "no FDA-approved medication"), which neither
# test can see. The score alone would need 8.5 and reach only 0.764 / 0.741. Verbatim answer
# sentences of the golden set score at least 5.2 against their cited passages.
SUPPORT_THRESHOLD = 3.5

Scorer = Callable[[list[tuple[str, str]]], Sequence[float]]

# In-text citation and bibliography markers: "[1]", "[2, 3]", "[2-4]".
@dataclass
class SupportResult:
    """The verdict on one sentence: `missing` lists the key terms that the passage sentence closest
    to backing it lacks (empty when the key terms are all there); `score` is NaN when no passage
    passed the key-term test (not scored) and -inf when there was no passage."""

    supported: bool
    reason: str
    score: float
    missing: list[str] = field(default_factory=list)


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


def _held(term: Term, held: _SentenceTerms, claim: _SentenceTerms | None) -> bool:
    """Whether a passage sentence holds `term` as often as the claim states it (`claim` None:
    once is enough)."""
    if term.kind == "number":
        number, unit = term.key
        present = (number, unit) in held.quantities if unit else held.numbers[number] > 0
        return present and held.numbers[number] >= (claim.numbers[number] if claim else 1)
    if term.kind == "name":
        return held.words[term.key[0]] >= max(1, claim.words[term.key[0]] if claim else 1)
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
    rounding, no tolerance. Names and direction words compare as whole lower-case words.
    A claim that merges facts of two source sentences fails this test: an answer should say them
    in two sentences, each with its citation.
    """
    claim = strip_citation_markers(sentence)
    terms = key_terms(claim)
    if not terms:
        return [], []
    counts = _sentence_terms(claim)
    best: list[str] | None = None
    for text in passage_sentences(passages):
        held = _sentence_terms(text)
        lacking = [term.surface for term in terms if not _held(term, held, counts)]
        if best is None or len(lacking) < len(best):
            best = lacking
        if not lacking:
            return [], []
    everything = _sentence_terms("\n".join(passages))
    absent = [t.surface for t in terms if not _held(t, everything, None)]
    return (best if best is not None else [t.surface for t in terms]), absent


def missing_terms(sentence: str, passages: Sequence[str]) -> list[str]:
    """The key terms of `sentence` that no single passage sentence holds with the others (test (a)
    of the support check; see `term_check`). Empty when the sentence passes (a)."""
    return term_check(sentence, passages)[0]


def default_scorer() -> Scorer:
    """The real cross-encoder's `score_pairs` (loaded once per process)."""
    from qa.rerank import get_cross_encoder

    return get_cross_encoder().score_pairs


def sentence_support(
    sentence: str,
    passages: Sequence[str],
    scorer: Scorer | None = None,
    threshold: float = SUPPORT_THRESHOLD,
) -> SupportResult:
    """The support check of one sentence against the passages it cites.

    Citation markers are stripped from the sentence and the passages. The sentence is supported
    when one of the passages supports it: (a) the passage holds every key term of the sentence
    (see `key_terms`) in one of its sentences (see `term_check`), and (b) the cross-encoder
    scores (sentence, that passage) at or above `threshold` (`SUPPORT_THRESHOLD`, calibrated by
    bench/calibrate_support.py). Both tests apply to the same passage: the terms of one passage
    and the topic of another do not add up to support. `scorer(pairs)` returns one score per
    (sentence, passage) pair; the default is the real cross-encoder. Only passages that pass (a)
    are scored (the cross-encoder is the slow part, and a missing number already decides), so
    the score is NaN when no passage passes (a).

    Returns `SupportResult(supported, reason, score, missing)`: `missing` lists the key terms
    that the passage sentence closest to backing the claim lacks; `score` is the best score of
    the passages that pass (a); `reason` says in words why the sentence is or is not supported.
    With no passages (an uncited sentence) the sentence is not supported and the score is -inf.
    An empty sentence (only markers or spaces) is not supported either: nothing to back.
    """
    claim = strip_citation_markers(sentence)
    texts = [passage for passage in passages if passage and passage.strip()]
    if not claim:
        return SupportResult(False, "empty sentence: nothing to support", float("-inf"), [])
    if not texts:
        return SupportResult(False, "no passage cited", float("-inf"), [])
    holding = [text for text in texts if not term_check(claim, [text])[0]]
    if not holding:
        missing, absent = term_check(claim, texts)
        apart = [term for term in missing if term not in absent]
        parts = []
        if absent:
            parts.append("not in the cited passages: " + ", ".join(f"'{term}'" for term in absent))
        if apart:
            parts.append("not in the sentence that holds the rest: " + ", ".join(f"'{term}'" for term in apart))
        return SupportResult(False, "; ".join(parts), float("nan"), missing)
    scorer = scorer or default_scorer()
    scores = [float(s) for s in scorer([(claim, strip_citation_markers(text)) for text in holding])]
    score = max((s for s in scores if not math.isnan(s)), default=float("nan"))
    if math.isnan(score) or score < threshold:
        return SupportResult(False, f"score {score:.2f} < {threshold:g}: the passage does not address it", score, [])
    return SupportResult(True, f"every key term found; score {score:.2f} >= {threshold:g}", score, [])
