"""The support check: is one answer sentence backed by the passages it cites?

No entailment (NLI) model ships in any package this project may install, so this is not an
entailment judge and is never called one. It is a *support check*, four tests that must all pass:

(a) **Key terms** (a hard veto). Every number (with its unit), year, dose, percentage, proper
    name, and every direction or negation word of the sentence appears in one passage, and all
    its numbers in one sentence of it, as often as the claim states them (see `key_terms` for
    what counts and `term_check` for how they are matched). Names and direction words that no
    single sentence holds with the rest are counted (`apart`) and weighed by (b): people write
    true sentences that join two facts of a source, but a number is never assembled.
(b) **Fitted judge.** Among the passages that pass (a), the sentence's content words, its best
    one to three evidence sentences and the cross-encoder's reading of them are combined by a
    logistic regression fitted on human support labels (`qa.eval.judge`, weights and threshold in
    `qa/eval/support_model.json`, fitted by `python -m bench.fit.support_judge`). Its probability
    must reach the fitted threshold.
A sentence citing several passages is judged against the sentences of the passages that pass (a).

(a) catches what a relevance model is blind to - a changed digit, a swapped dose, author, journal
or year, "higher" where it says only "lower" - and (b) catches what a term list is blind to: a
sentence that adds its own claims on the passage's topic ("novel" content words), or about
something the passage does not discuss although it shares its numbers.
(c) **Contradiction veto.** The support head (`qa.decision.support_head`: the cross-encoder's top
    layers fine-tuned on claims against their evidence, their one-edit opposites and rewordings)
    reads the claim against its best evidence sentences; a logit under the shipped veto rejects it
    however (b) reads it, and the reason lays the parting words side by side (`qa.eval.contrast`:
    "claim: 'no patients', evidence: 'all patients'"). The veto sits under every supported human
    claim the head never trained on, so it only fires where the head is sure.
(d)-(k) **The claim turned round.** Each reads the claim against its best evidence sentences
    ((g), (h) and (k): every sentence of the kept passages) and rejects it, the two phrases side by side in
    the reason, where
    (d) a direction word is said of a thing the evidence gives only the opposite direction ("more
        relapse" against "lower relapse risk", `qa.eval.direction_conflicts`);
    (e) a comparison's sides are the other way round ("more abstinence than ketamine" against
        "ketamine ... more abstinence compared to a control", `qa.eval.comparisons`);
    (f) a word stands where the evidence has its opposite (WordNet's antonyms, and "before"/"after",
        "over"/"under": "the late stages" against "the early stages", `qa.eval.opposite_words`);
    (g) a word is negated where the evidence affirms it, or the other way ("was not published"
        against "was published", `qa.eval.negated_words`);
    (h) two names stand the other way round about the same word ("Oxford beat Cambridge" against
        "Cambridge beat Oxford", `qa.eval.swapped_roles`);
    (i) a certainty stands where the evidence only allows it ("you must listen" against "you can
        listen", `qa.eval.hedges`);
    (j) a quantity stands where the evidence says another that does not back it ("few patients"
        against "most patients", "all trials" against "some trials"), or "also" where it says
        "only" or the other way (`qa.eval.quantifiers`);
    (k) a certainty other than "will" is claimed where no sentence states any ("their frames must
        be made of wood" against "daybeds come in wood", `qa.eval.hedges.unbacked_certainties`).
A sentence the passages state word for word (one sentence, or up to `QUOTED_RUN` consecutive
ones: entries of a bibliography) is supported whatever (b) and (c) read. The judge reads the evidence
with each acronym the claim spells out followed by its words ("severe AUD (alcohol use
disorder)", `qa.text.abbreviations.spell_out_initials`).

Normalisation: citation markers ("[1]", "[2, 3]") are removed from the sentence and the passages;
whitespace and case are folded; small spelled numbers count as digits ("two weeks" ~ "2 weeks");
units have one spelling ("40 minutes" ~ "40-minute" ~ "40 min"). Numbers are never loosened.

What it does: `sentence_support(sentence, passages)` returns a `SupportResult(supported, reason,
score, missing, novel, evidence, relevance)`; test (a) lives in `qa.eval.term_veto` (`key_terms`, `missing_terms`, `veto`: the pieces of
(a), re-exported here for tests and reports). The scorer is a parameter (`scorer(pairs) -> scores`, with
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
from functools import lru_cache

from qa.eval.comparisons import comparison_conflicts
from qa.eval.contrast import closest_sentence, contrasts
from qa.eval.direction_conflicts import direction_conflicts
from qa.eval.hedges import overstated_hedges, unbacked_certainties
from qa.eval.judge import SupportModel, load_model, signals
from qa.eval.negated_words import negation_conflicts
from qa.eval.opposite_words import opposite_words
from qa.eval.quantifiers import quantifier_conflicts
from qa.eval.swapped_roles import swapped_roles
from qa.eval.key_terms import (  # noqa: F401 - re-exported: tests and reports import them from here
    BIBLIOGRAPHY_LINE,
    MARKER,
    QUANTITY,
    SMALL_NUMBERS,
    UNIT_SPELLINGS,
    Term,
    _sentence_terms,
    _SentenceTerms,
    fold,
    key_terms,
    names,
    quantities,
    strip_citation_markers,
    strip_markers_by_line,
)
from qa.eval.term_veto import (  # noqa: F401 - re-exported: tests, reports and the LLM gate import them from here
    NEAR_COPY,
    SupportResult,
    missing_terms,
    passage_sentences,
    swapped_terms,
    term_check,
    veto,
)
from qa.text.abbreviations import spell_out_initials

# The fitted judge's probability threshold (see `qa.eval.judge` and MODELS.md).
SUPPORT_THRESHOLD = load_model().threshold
# Tests (d)-(k), in order: each returns (claim phrase, evidence phrase) for what it reads turned round.
OPPOSITE_READINGS = (
    direction_conflicts, comparison_conflicts, opposite_words, negation_conflicts, swapped_roles, overstated_hedges,
    quantifier_conflicts, unbacked_certainties,
)
# Readings given every sentence of the kept passages, not only the best few. A negation is read
# only where a passage says the same word with the same neighbour, and two names only where a
# sentence joins them by the same word, so a sentence the judge did not choose ("Because he
# hasn't done a thing", a page's title) still tells; (f) read that widely finds a word said both
# ways more often and catches less (bench/NOTEBOOK.md, 2026-12-06).
READ_IN_EVERY_SENTENCE = frozenset({negation_conflicts, swapped_roles, unbacked_certainties})

Scorer = Callable[[list[tuple[str, str]]], Sequence[float]]


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The real cross-encoder with the support head (`qa.decision.support_head.ModelReader`), loaded
    once per process."""
    from qa.decision.support_head import ModelReader

    return ModelReader()


def evidence_sentences(claim: str, passages: Iterable[str]) -> list[str]:
    """The sentences the judge reads `claim` against: those of `passages` without citation
    markers, each acronym the claim spells out followed by its words (`spell_out_initials`)."""
    return _spelt_out(claim, passage_sentences(strip_markers_by_line(p) for p in passages))


def _spelt_out(claim: str, sentences: list[str]) -> list[str]:
    return [spell_out_initials(text, claim) for text in sentences]


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
    support head does not read it so (its logit at or above the veto, `qa.decision.support_head`)."""
    from qa.decision.support_head import veto_below as shipped_veto

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
    sentences = passage_sentences(strip_markers_by_line(t) for t in holding)
    quoted = _quoted(claim, sentences)
    spelt = _spelt_out(claim, sentences)
    measured = signals(claim, spelt, scorer, apart)
    probability = model.probability(measured.values)
    relevance = measured.values["ce1"]
    evidence = measured.best[0] if measured.best else ""
    novel = measured.novel_words
    # The first reading that finds the claim turned round is the one the reason gives.
    opposed = [] if quoted else next(
        (found for read in OPPOSITE_READINGS
         if (found := read(claim, spelt if read in READ_IN_EVERY_SENTENCE else measured.best))),
        [],
    )
    if opposed:
        reason = "says the opposite of its evidence; " + "; ".join(
            f"claim: '{said}', evidence: " + (f"'{source}'" if source else "no sentence states it so") for said, source in opposed
        )
        return SupportResult(False, reason, probability, [], novel, evidence, relevance)
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
