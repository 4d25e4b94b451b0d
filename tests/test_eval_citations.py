"""ALCE-style citation recall and precision (`qa.eval.citations`) on hand-made answers.

The judge is the support check with a fake scorer (no model): a pair scores high when most of the
claim's words are in the passage.
"""

from __future__ import annotations

import pytest

from qa import REFUSAL
from qa.eval.citations import (
    MemoScorer,
    Statement,
    answer_sentences,
    cited_passages,
    citation_precision,
    citation_recall,
    judge_answer,
)

TRIAL = (
    "A 2022 Phase 2 trial (Grabski et al., Am J Psychiatry. 2022;179(2):152-162) of 96 people with severe AUD "
    "found that three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy led to more days abstinent "
    "and fewer relapses at 6 months than control conditions."
)
COCAINE = (
    "In a randomized clinical trial (Dakwar et al., Am J Psychiatry. 2019;176(11):923-930), a single ketamine "
    "infusion plus mindfulness-based therapy led to significantly more abstinence and lower relapse risk compared "
    "to a control. Craving scores were substantially lower in the ketamine group."
)
OVERVIEW = (
    "Ketamine may help treat addiction through several potential mechanisms:\n\n"
    "- Reducing drug cravings by normalizing glutamate signaling [2]\n"
    "- Lessening withdrawal and relapse risk by blocking stress-induced reinstatement [3]\n\n"
    "Small studies show ketamine reduces cravings and consumption in opioid, cocaine and alcohol dependence for "
    "up to 2 weeks [5]. Effects are enhanced with therapy.\n\n"
    "[1] American Psychiatric Association. (2013). Diagnostic and statistical manual of mental disorders (5th ed.)."
)
STORED = {"evidence.txt": TRIAL + "\n" + COCAINE, "overview.txt": OVERVIEW}


def fake_scorer(pairs):
    scores = []
    for claim, passage in pairs:
        words = {w.strip(".,;:()").lower() for w in claim.split() if len(w) > 3}
        shared = sum(w in passage.lower() for w in words)
        scores.append(8.0 if words and shared / len(words) >= 0.6 else -8.0)
    return scores


def cite(quote, n, source="evidence.txt", passage=None):
    """A citation of `quote`; its passage is the paragraph (or `passage`) that holds it."""
    text = STORED[source]
    start = text.index(quote)
    block = passage or next(p for p in text.split("\n") if quote in p)
    passage_start = text.index(block)
    return {
        "n": n, "source": source, "quote": quote, "start": start, "end": start + len(quote),
        "passage_start": passage_start, "passage_end": passage_start + len(block),
    }  # fmt: skip


def extractive(*citations):
    """The answer text as the extractive answerer writes it: each quote followed by " [n]"."""
    return {"answer": " ".join(f"{c['quote']} [{c['n']}]" for c in citations), "refused": False, "citations": list(citations)}


def recall(answer):
    return citation_recall(answer, STORED, fake_scorer)


def precision(answer):
    return citation_precision(answer, STORED, fake_scorer)


# -- cutting an answer into statements ---------------------------------------------------------------


def test_extractive_answers_are_cut_along_their_citations_even_with_markers_inside_quotes():
    cravings = cite(
        "Small studies show ketamine reduces cravings and consumption in opioid, cocaine and alcohol dependence "
        "for up to 2 weeks [5].", 1, "overview.txt",
    )  # fmt: skip
    reference = cite(
        "[1] American Psychiatric Association. (2013). Diagnostic and statistical manual of mental disorders (5th ed.).",
        2, "overview.txt",
    )  # fmt: skip
    answer = extractive(cravings, reference)
    assert answer["answer"].endswith("(5th ed.). [2]") and "2 weeks [5]. [1] [1] American" in answer["answer"]
    assert answer_sentences(answer) == [Statement(cravings["quote"], (1,)), Statement(reference["quote"], (2,))]


def test_list_items_are_statements_and_citations_may_share_a_number():
    lead = cite("Ketamine may help treat addiction through several potential mechanisms:", 1, "overview.txt", OVERVIEW)
    first = cite("Reducing drug cravings by normalizing glutamate signaling [2]", 1, "overview.txt", OVERVIEW)
    second = cite("Lessening withdrawal and relapse risk by blocking stress-induced reinstatement [3]", 1, "overview.txt", OVERVIEW)
    answer = {
        "answer": f"{lead['quote']} [1]\n- {first['quote']} [1]\n- {second['quote']} [1]",
        "refused": False,
        "citations": [lead, first, second],
    }
    assert [s.cited for s in answer_sentences(answer)] == [(1,), (1,), (1,)]
    assert cited_passages(answer, STORED) == {1: [OVERVIEW]}  # one passage, not three copies
    assert recall(answer) == 1.0 and precision(answer) == 1.0


def test_free_text_is_cut_at_sentence_ends_with_the_markers_that_close_each_sentence():
    answer = {
        "answer": "Grabski et al. treated 96 people with severe AUD [1]. Craving scores were lower [2][1].\n"
        "- Ketamine cures addiction\n- Effects are enhanced with therapy. [3]",
        "refused": False,
        "citations": [],
    }
    assert answer_sentences(answer) == [
        Statement("Grabski et al. treated 96 people with severe AUD.", (1,)),
        Statement("Craving scores were lower.", (2, 1)),
        Statement("Ketamine cures addiction", ()),
        Statement("Effects are enhanced with therapy.", (3,)),
    ]


def test_a_refusal_has_no_statements_and_no_scores():
    refusal = {"answer": REFUSAL, "refused": True, "citations": []}
    assert answer_sentences(refusal) == []
    assert recall(refusal) is None and precision(refusal) is None


# -- citation recall ---------------------------------------------------------------------------------


def test_recall_of_a_faithful_extractive_answer_is_one():
    answer = extractive(cite(TRIAL, 1), cite("Craving scores were substantially lower in the ketamine group.", 2))
    assert recall(answer) == 1.0 and precision(answer) == 1.0


def test_an_uncited_sentence_counts_zero():
    answer = extractive(cite(TRIAL, 1))
    answer["answer"] += " Ketamine is therefore a proven cure."
    assert [s.cited for s in answer_sentences(answer)] == [(1,), ()]
    assert recall(answer) == 0.5
    assert precision(answer) == 1.0  # ALCE: an uncited sentence has no citation to be imprecise


@pytest.mark.parametrize(
    "change",
    [("96 people", "69 people"), ("Grabski", "Dakwar"), ("0.8 mg/kg", "0.5 mg/kg"), ("fewer relapses", "more relapses")],
)
def test_a_changed_digit_or_swapped_name_is_unsupported(change):
    faithful = cite(TRIAL, 1)
    answer = {"answer": TRIAL.replace(*change) + " [1]", "refused": False, "citations": [faithful]}
    verdict = judge_answer(answer, STORED, fake_scorer)
    assert verdict.recall == 0.0 and verdict.precision == 0.0
    assert any(change[1].split()[0] in term for term in verdict.statements[0].support.missing)


def test_recall_uses_the_union_of_the_cited_passages():
    trial, cocaine = cite(TRIAL, 1), cite("Craving scores were substantially lower in the ketamine group.", 2)
    claim = "Craving scores were substantially lower in the ketamine group."
    both = {"answer": f"{claim} [1][2]", "refused": False, "citations": [trial, cocaine]}
    wrong = {"answer": f"{claim} [1]", "refused": False, "citations": [trial, cocaine]}
    assert recall(both) == 1.0 and recall(wrong) == 0.0


def test_a_citation_to_a_passage_that_does_not_exist_is_unsupported():
    answer = {"answer": f"{TRIAL} [3]", "refused": False, "citations": [cite(TRIAL, 1)]}
    verdict = judge_answer(answer, STORED, fake_scorer)
    assert verdict.recall == 0.0 and "does not exist" in verdict.statements[0].support.reason


# -- citation precision ------------------------------------------------------------------------------


def test_a_citation_that_adds_nothing_is_imprecise():
    trial, cocaine = cite(TRIAL, 1), cite("Craving scores were substantially lower in the ketamine group.", 2)
    claim = "Craving scores were substantially lower in the ketamine group."
    # [1] alone does not support it, and [2] still does without [1]: [1] is irrelevant.
    answer = {"answer": f"{claim} [2][1]", "refused": False, "citations": [trial, cocaine]}
    verdict = judge_answer(answer, STORED, fake_scorer)
    assert verdict.recall == 1.0
    assert verdict.statements[0].precise == {2: True, 1: False}
    assert verdict.precision == 0.5


def test_support_comes_from_one_passage_so_an_extra_citation_is_imprecise():
    one = {"n": 1, "source": "a.txt", "quote": "q", "start": 0, "end": 1, "passage_start": 0}
    two = {"n": 2, "source": "b.txt", "quote": "q", "start": 0, "end": 1, "passage_start": 0}
    claim = "The Grabski trial enrolled 96 people at 0.8 mg/kg doses [1][2]."
    scorer = lambda pairs: [8.0 for _ in pairs]  # noqa: E731 - topical everywhere; the key terms decide

    def judged(a_text, b_text):
        stored = {"a.txt": a_text, "b.txt": b_text}
        spans = [{**one, "passage_end": len(a_text)}, {**two, "passage_end": len(b_text)}]
        return judge_answer({"answer": claim, "refused": False, "citations": spans}, stored, scorer)

    # Each passage holds half the facts: no single passage supports it, so neither does the pair
    # (the judge has no entailment across passages), and both citations are imprecise.
    split = judged("The Grabski trial enrolled 96 people.", "The Grabski trial used 0.8 mg/kg doses.")
    assert split.recall == 0.0 and split.precision == 0.0
    # One passage holds it all: [1] is precise, [2] adds nothing.
    whole = judged("The Grabski trial enrolled 96 people at 0.8 mg/kg doses.", "Unrelated words here only.")
    assert whole.recall == 1.0 and whole.statements[0].precise == {1: True, 2: False} and whole.precision == 0.5
    # Both hold it all: each alone supports it, so both are precise (the other's support does not matter).
    both = judged("The Grabski trial enrolled 96 people at 0.8 mg/kg doses.", "Grabski: 96 people at 0.8 mg/kg doses.")
    assert both.precision == 1.0


def test_each_pair_is_scored_once_across_recall_and_precision():
    calls = []

    def counting(pairs):
        calls.extend(pairs)
        return fake_scorer(pairs)

    trial, cocaine = cite(TRIAL, 1), cite("Craving scores were substantially lower in the ketamine group.", 2)
    claim = "Craving scores were substantially lower in the ketamine group."
    answer = {"answer": f"{claim} [2][1]", "refused": False, "citations": [trial, cocaine]}
    memo = MemoScorer(counting)
    # The union, [2] alone, [1] alone: the claim against its best sentence of each ([1] holds a word
    # of the same direction, "fewer", so it is read too).
    judge_answer(answer, STORED, memo)
    first = len(calls)
    judge_answer(answer, STORED, memo)
    assert first == len(calls) == len(set(calls)) == 2
