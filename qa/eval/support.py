"""The support check: is one answer sentence backed by the passages it cites?

No entailment (NLI) model ships in any package this project may install, so this is not an
entailment judge and is never called one. It is a *support check*, three tests that must all pass:

(a) **Key terms** (a hard veto). Every number (with its unit), year, dose, percentage, proper
    name, and every direction or negation word of the sentence appears in one passage, and all
    its numbers in one sentence of it, as often as the claim states them (see `key_terms` for
    what counts and `term_check` for how they are matched). Names and direction words that no
    single sentence holds with the rest are counted (`apart`) and weighed by (b): people write
    true sentences that join two facts of a source, but a number is never assembled.
(b) **Fitted judge.** Among the passages that pass (a), the sentence's content words, its best
    one to three evidence sentences and the cross-encoder's reading of them are combined by a
    logistic regression fitted on human support labels (`qa.eval.judge`, weights and threshold in
    `qa/eval/support_model.json`, fitted by `python -m bench.calibrate_support`). Its probability
    must reach the fitted threshold.
A sentence citing several passages is judged against the sentences of the passages that pass (a).

(a) catches what a relevance model is blind to - a changed digit, a swapped dose, author, journal
or year, "higher" where it says only "lower" - and (b) catches what a term list is blind to: a
sentence that adds its own claims on the passage's topic ("novel" content words), or about
something the passage does not discuss although it shares its numbers.
(c) **Contradiction veto.** The support head (`qa.eval.support_head`: the cross-encoder's top
    layers fine-tuned on claims against their evidence, their one-edit opposites and rewordings)
    reads the claim against its best evidence sentences; a logit under the shipped veto rejects it
    however (b) reads it, and the reason lays the parting words side by side (`qa.eval.contrast`:
    "claim: 'no patients', evidence: 'all patients'"). The veto sits under every supported human
    claim the head never trained on, so it only fires where the head is sure.
A sentence the passages state word for word (one sentence, or up to `QUOTED_RUN` consecutive
ones: entries of a bibliography) is supported whatever (b) and (c) read. The judge reads the evidence
with each acronym the claim spells out followed by its words ("severe AUD (alcohol use
disorder)", `qa.abbreviations.spell_out_initials`).

Normalisation: citation markers ("[1]", "[2, 3]") are removed from the sentence and the passages;
whitespace and case are folded; small spelled numbers count as digits ("two weeks" ~ "2 weeks");
units have one spelling ("40 minutes" ~ "40-minute" ~ "40 min"). Numbers are never loosened.

What it does: `sentence_support(sentence, passages)` returns a `SupportResult(supported, reason,
score, missing, novel, evidence, relevance)`; `key_terms` and `missing_terms` are the pieces of
(a), exposed for tests and reports. The scorer is a parameter (`scorer(pairs) -> scores`, with
`scorer.head(pair)` when it has the support head; without one, (c) is skipped), the real models
by default, so tests of the logic run with fakes.
What it does not: split answers into sentences or decide which passages a sentence cites (see
`qa.eval.citations`); it never loosens a number ("0.8" is not "0.5", "96" is not "69", "0.8" is
not "0.85") and it cannot see a claim that reorders correct terms ("fewer days abstinent and more
relapses" passes (a)); (b) reads word overlap and relevance, not truth.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.sentences import split_sentences
from qa.abbreviations import spell_out_initials
from qa.eval.contrast import closest_sentence, contrasts
from qa.eval.judge import SupportModel, load_model, signals
from qa.eval.words import content_words, word_overlap
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

# A claim with at least this share of its content words in one passage sentence copies it.
NEAR_COPY = 0.75
# The fitted judge's probability threshold (see `qa.eval.judge` and BENCHMARKS.md).
SUPPORT_THRESHOLD = load_model().threshold

Scorer = Callable[[list[tuple[str, str]]], Sequence[float]]

# In-text citation and bibliography markers: "[1]", "[2, 3]", "[2-4]".
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
    texts = passage_sentences(passages)
    closest = _closest_sentences(claim, texts) if any(term.kind == "direction" for term in terms) else set()
    for i, text in enumerate(texts):
        held = _sentence_terms(text)
        # A direction word counts only in a sentence that says most of what the claim says: "higher
        # cravings" is not backed by "more abstinence" in the sentence before "lower cravings".
        lacking = [term.surface for term in terms if not _held(term, held, counts) or (term.kind == "direction" and i not in closest)]
        if best is None or len(lacking) < len(best):
            best = lacking
        if not lacking:
            return [], []
    everything = _sentence_terms("\n".join(passages))
    folded = fold("\n".join(passages))

    def absent(term: Term) -> bool:
        if term.kind != "direction":
            return not _held(term, everything, None)
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


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The real cross-encoder with the support head (`qa.eval.support_head.ModelReader`), loaded
    once per process."""
    from qa.eval.support_head import ModelReader

    return ModelReader()


def swapped_terms(claim: str, passage: str) -> tuple[list[str], list[str]]:
    """`(apart, swapped)`: the key terms of `claim` that the passage sentence holding most of them
    lacks (found elsewhere or not at all), and those of them that look swapped - the claim is a
    near copy of that sentence (at least `NEAR_COPY` of its content words are there) and the
    term is a number ("2023" where it says "2022"), or the sentence states another term of the
    same kind that the claim does not ("Freeman" where the sentence names "Krupitsky"). A claim that joins facts of two
    sentences has terms apart; a claim that copies a sentence and changes one of its terms has a
    swap."""
    terms = key_terms(claim)
    if not terms:
        return [], []
    counts = _sentence_terms(claim)
    best: tuple[list, str] | None = None
    for text in passage_sentences([passage]):
        held = _sentence_terms(text)
        lacking = [term for term in terms if not _held(term, held, counts)]
        if best is None or len(lacking) < len(best[0]):
            best = (lacking, text)
        if not lacking:
            return [], []
    lacking, sentence = best if best else (terms, "")
    if word_overlap(claim, [sentence]) < NEAR_COPY:
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


def evidence_sentences(claim: str, passages: Iterable[str]) -> list[str]:
    """The sentences the judge reads `claim` against: those of `passages` without citation
    markers, each acronym the claim spells out followed by its words (`spell_out_initials`)."""
    return [spell_out_initials(text, claim) for text in passage_sentences(strip_citation_markers(p) for p in passages)]


def _words_only(text: str) -> str:
    """`text` as compared word for word: folded (`fold`), punctuation and spacing ignored."""
    return " ".join(re.findall(r"\w+", fold(text)))


QUOTED_RUN = 3  # a quote may run over this many consecutive sentences (entries of a bibliography)


def _quoted(claim: str, sentences: Sequence[str]) -> bool:
    """Whether `claim` says, word for word, one sentence of the passages or a run of up to
    `QUOTED_RUN` consecutive ones."""
    target = _words_only(claim)
    words = [_words_only(text) for text in sentences]
    return any(
        " ".join(words[begin:end]) == target
        for begin in range(len(words))
        for end in range(begin + 1, min(len(words), begin + QUOTED_RUN) + 1)
    )


def _contradiction(claim: str, best: list[str], head, veto_below: float | None) -> str:
    """The reason to reject `claim` as contradicting its best evidence sentences, or "" when the
    support head does not read it so (its logit at or above the veto, `qa.eval.support_head`)."""
    from qa.eval.support_head import veto_below as shipped_veto

    veto = shipped_veto() if veto_below is None else veto_below
    logit = head((claim, " ".join(best)))
    if logit >= veto:
        return ""
    reason = f"reads as contradicting its evidence (support head {logit:.1f} < {veto:.1f})"
    found = contrasts(claim, closest_sentence(claim, best), head)
    if found:
        reason += "; " + "; ".join(f"claim: '{said}', evidence: '{source}'" for said, source in found)
    return reason


def sentence_support(
    sentence: str,
    passages: Sequence[str],
    scorer: Scorer | None = None,
    threshold: float | None = None,
    model: SupportModel | None = None,
    veto_below: float | None = None,
) -> SupportResult:
    """The support check of one sentence against the passages it cites.

    Citation markers are stripped from the sentence and the passages. (a) The passages that hold
    every key term of the sentence in one of their sentences are kept (`term_check`); none kept:
    not supported, `missing` says which terms. (b) The fitted judge (`qa.eval.judge`) reads the
    sentence against the sentences of the kept passages; supported when its probability is at
    or above `threshold` (default: the model's fitted threshold, `SUPPORT_THRESHOLD`), and the
    support head, when `scorer` has one (`scorer.head(pair)`; the default does), does not read it
    as contradicting the evidence (its logit at or above `veto_below`, default the shipped veto).
    `scorer(pairs)` returns one cross-encoder score per (sentence, evidence) pair (at most two
    pairs per call); the default is the real cross-encoder.

    With no passages (an uncited sentence) the sentence is not supported and the score is -inf.
    An empty sentence (only markers or spaces) is not supported either: nothing to back.
    """
    claim = strip_citation_markers(sentence)
    texts = [passage for passage in passages if passage and passage.strip()]
    if not claim:
        return SupportResult(False, "empty sentence: nothing to support", float("-inf"), [])
    if not texts:
        return SupportResult(False, "no passage cited", float("-inf"), [])
    holding, apart, vetoed = veto(claim, texts)
    if vetoed:
        return vetoed
    model = model or load_model()
    threshold = model.threshold if threshold is None else threshold
    scorer = scorer or default_scorer()
    sentences = passage_sentences(strip_citation_markers(t) for t in holding)
    quoted = _quoted(claim, sentences)
    measured = signals(claim, evidence_sentences(claim, holding), scorer, apart)
    probability = model.probability(measured.values)
    relevance = measured.values["ce1"]
    evidence = measured.best[0] if measured.best else ""
    novel = measured.novel_words
    head = getattr(scorer, "head", None)
    if head and measured.best and not quoted:
        contradicted = _contradiction(claim, measured.best, head, veto_below)
        if contradicted:
            return SupportResult(False, contradicted, probability, [], novel, evidence, relevance)
    # A sentence the passage states word for word is backed by it, whatever the judge's reading
    # (an extractive answer quotes; a bibliography entry is no sentence the judge was fitted on).
    if probability >= threshold or quoted:
        reason = ("quoted word for word from the passage; " if quoted else "") + "every key term found"
        reason += f"; support {probability:.2f} {'>=' if probability >= threshold else '<'} {threshold:.2f}"
        return SupportResult(True, reason, probability, [], novel, evidence, relevance)
    detail = [f"support {probability:.2f} < {threshold:.2f}"]
    if novel:
        detail.append("words not in the best evidence: " + ", ".join(f"'{w}'" for w in novel[:8]))
    detail.append(f"relevance of the best evidence sentence {relevance:.2f}")
    return SupportResult(False, "; ".join(detail), probability, [], novel, evidence, relevance)
