"""Scoring a whole answer for faithfulness (`qa.eval.faithfulness.score_answer`)."""

from __future__ import annotations

from qa.answer import Answer, Citation
from qa.eval.faithfulness import score_answer

TRIAL = "A 2022 trial of 96 people with severe AUD found that three ketamine infusions plus therapy led to more days abstinent."
REVIEW = "A 2023 systematic review of 11 studies concluded that ketamine showed favorable results for abstinence."


def scorer(pairs):
    """High relevance when most claim words are in the evidence, low otherwise."""
    scores = []
    for claim, evidence in pairs:
        words = {w for w in claim.lower().split() if len(w) > 3}
        scores.append(8.0 if words and sum(w in evidence.lower() for w in words) / len(words) >= 0.6 else -8.0)
    return scores


def test_text_with_markers_is_judged_against_the_passages_it_cites():
    text = f"{TRIAL} [1] A 2023 systematic review of 11 studies concluded that ketamine showed favorable results. [2]"
    score = score_answer(text, [TRIAL, REVIEW], scorer=scorer)
    assert score.faithfulness == 1.0 and score.citation_recall == 1.0 and score.citation_precision == 1.0
    swapped = score_answer(text, [REVIEW, TRIAL], scorer=scorer)  # each sentence cites the wrong passage
    assert swapped.faithfulness == 0.0 and swapped.citation_recall == 0.0


def test_text_without_markers_is_judged_against_all_passages_like_ragas():
    score = score_answer("A 2022 trial of 96 people found more days abstinent. It enrolled 150 people.", [TRIAL, REVIEW], scorer=scorer)
    assert score.faithfulness == 0.5 and score.citation_recall is None
    (bad,) = score.unsupported
    assert bad.text == "It enrolled 150 people." and "150" in bad.result.missing
    assert score.to_dict()["unsupported"][0]["sentence"] == "It enrolled 150 people."


def test_an_answer_object_uses_its_citations_and_the_lookup_for_quote_exactness():
    stored = "Intro. " + TRIAL + " Outro."
    start = stored.index(TRIAL)
    citation = Citation(1, "doc.txt", "Doc", TRIAL, start, start + len(TRIAL), 5.0, start, start + len(TRIAL))
    answer = Answer("q", "q", f"{TRIAL} [1]", False, [citation])
    score = score_answer(answer, lookup={"doc.txt": stored}, scorer=scorer)
    assert score.faithfulness == 1.0 and score.quote_exactness == 1.0
    no_lookup = score_answer(answer, scorer=scorer)  # the quotes stand for their passages
    assert no_lookup.faithfulness == 1.0 and no_lookup.quote_exactness is None
    wrong = score_answer(answer, lookup={"doc.txt": stored.replace("96", "69")}, scorer=scorer)
    assert wrong.quote_exactness == 0.0
