"""Answer-level metrics (`qa.eval.metrics`) on hand-made answers: no models, no index."""

from __future__ import annotations

import pytest

from qa import REFUSAL
from qa.eval.metrics import (
    forbidden_hits,
    forbidden_rate,
    must_include_hits,
    must_include_recall,
    quote_exactness,
    quote_is_exact,
    refusal_accuracy,
)

STORED = {
    "trial.txt": "Intro. A 2022 trial of 96 people used 0.8 mg/kg over 40 minutes. Outro.",
    "review.txt": "A 2023 systematic review of 11 studies (854 adults) concluded that ketamine helps.",
}
QUOTE = "A 2022 trial of 96 people used 0.8 mg/kg over 40 minutes."
START = STORED["trial.txt"].index(QUOTE)


def citation(quote=QUOTE, start=START, end=None, source="trial.txt", n=1):
    return {"n": n, "source": source, "quote": quote, "start": start, "end": start + len(quote) if end is None else end}


def answer(*citations, refused=False):
    return {"answer": " ".join(f"{c['quote']} [{c['n']}]" for c in citations), "refused": refused, "citations": list(citations)}


# -- quote_exactness -----------------------------------------------------------------------------------


def test_an_exact_quote_scores_one():
    assert quote_exactness(answer(citation()), STORED) == 1.0
    assert quote_exactness(answer(citation()), STORED.get) == 1.0  # a function works as well as a dict


@pytest.mark.parametrize(
    "quote",
    [
        QUOTE.replace("96 people", "96  people"),  # whitespace
        QUOTE.replace("A 2022", "a 2022"),  # case
        QUOTE.replace("0.8", "0.5"),  # a changed digit
        QUOTE.replace("trial", "study"),  # a changed word
    ],
)
def test_a_quote_that_differs_from_the_stored_span_in_any_way_is_not_exact(quote):
    assert quote_exactness(answer(citation(quote=quote, end=START + len(QUOTE))), STORED) == 0.0


def test_a_quote_not_in_the_source_or_with_wrong_offsets_is_not_exact():
    other = "Ketamine cures addiction."
    assert quote_exactness(answer(citation(quote=other, start=0)), STORED) == 0.0
    assert quote_exactness(answer(citation(start=START + 1)), STORED) == 0.0  # right text, wrong span
    assert quote_exactness(answer(citation(source="missing.txt")), STORED) == 0.0
    assert quote_exactness(answer(citation(start=-5, end=3)), STORED) == 0.0


def test_quote_exactness_is_the_share_of_citations():
    review = "A 2023 systematic review of 11 studies (854 adults)"
    good = citation(quote=review, start=0, source="review.txt", n=2)
    bad = citation(quote=QUOTE.replace("96", "69"), end=START + len(QUOTE))
    assert quote_exactness(answer(citation(), good, bad), STORED) == pytest.approx(2 / 3)


def test_a_refusal_has_no_quote_exactness():
    assert quote_exactness({"answer": REFUSAL, "refused": True, "citations": []}, STORED) is None


def test_quote_is_exact_needs_the_document():
    assert quote_is_exact(citation(), STORED["trial.txt"]) and not quote_is_exact(citation(), None)


# -- must_include_recall -------------------------------------------------------------------------------


def test_must_include_recall_folds_case_and_whitespace():
    text = "Patients received 0.8  MG/kg over\n40 minutes."
    assert must_include_hits(text, ["0.8 mg/kg", "40 minutes", "6 months"]) == ["0.8 mg/kg", "40 minutes"]
    assert must_include_recall(text, ["0.8 mg/kg", "40 minutes", "6 months"]) == pytest.approx(2 / 3)


def test_must_include_recall_of_a_changed_digit_a_refusal_and_no_facts():
    assert must_include_recall("Patients received 0.5 mg/kg.", ["0.8 mg/kg"]) == 0.0
    assert must_include_recall(REFUSAL, ["0.8 mg/kg"]) == 0.0
    assert must_include_recall("anything", []) is None


# -- refusal_accuracy ----------------------------------------------------------------------------------


def test_refusal_accuracy_counts_refusing_exactly_the_unanswerable_cases():
    # (refused, answerable)
    assert refusal_accuracy([(False, True), (True, False)]) == 1.0
    assert refusal_accuracy([(True, True), (False, False)]) == 0.0  # a wrong refusal, an invented answer
    assert refusal_accuracy([(False, True), (True, False), (True, True), (True, False)]) == 0.75
    assert refusal_accuracy([]) is None


# -- forbidden_rate ------------------------------------------------------------------------------------


def test_forbidden_rate_is_the_share_of_cases_listing_forbidden_text_that_contain_it():
    cases = [
        ("The dose was 0.8 mg/kg.", ["0.5 mg/kg"]),
        ("The dose was 0.5 MG/KG.", ["0.5 mg/kg", "1.5 mg/kg"]),
        ("Anything at all.", []),  # lists nothing: not counted
    ]
    assert forbidden_hits(cases[1][0], cases[1][1]) == ["0.5 mg/kg"]
    assert forbidden_rate(cases) == 0.5
    assert forbidden_rate([("text", [])]) is None
    assert forbidden_rate([(REFUSAL, ["0.5 mg/kg"])]) == 0.0


def test_the_dev_sets_scoring_rules():
    from qa.eval.metrics import answer_hit, doc_hit, normalise

    assert normalise("The  Eiffel-Tower, in Paris!") == "eiffeltower in paris"
    assert answer_hit("It was built by the French in 1889.", ["1889"])
    assert not answer_hit("It was built in 1899.", ["1889"])
    gold = "the tower was completed in 1889 for the world fair"
    assert answer_hit("Completed in 1889 for the World Fair, the tower was.", [], [gold])  # >= 70% of its tokens
    assert not answer_hit("Completed in 1889.", [], [gold])
    assert doc_hit([{"source": "sub/Paris.txt"}], ["Paris.txt"]) and not doc_hit([], ["Paris.txt"])
