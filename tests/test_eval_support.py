"""The support check (`qa.eval.support`): key terms, normalisation and the score, with a fake scorer.

The real cross-encoder and the shipped judge on the project's labelled pairs are tested in
test_eval_support_labels.py; the fit itself in test_bench_support_fit.py.
"""

from __future__ import annotations

import math

import pytest

from qa.eval.support import (
    SUPPORT_THRESHOLD,
    SupportResult,
    key_terms,
    missing_terms,
    names,
    passage_sentences,
    sentence_support,
    strip_citation_markers,
    term_check,
)

GRABSKI = (
    "A 2022 Phase 2 trial (Grabski et al., Am J Psychiatry. 2022;179(2):152-162) of 96 people with severe AUD "
    "found that three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy led to more days abstinent "
    "and fewer relapses at 6 months than control conditions."
)
REVIEW = (
    "A 2023 systematic review of 11 studies (854 adults) concluded that ketamine, especially combined with "
    "psychotherapy, showed favorable results for abstinence and reduced alcohol consumption."
)
KRUPITSKY = (
    "[5] Krupitsky EM, Burakov AM, Dunaevsky IV, et al. Single versus repeated sessions of ketamine-assisted "
    "psychotherapy for people with heroin dependence. J Psychoactive Drugs. 2007;39(1):13-9. "
    "doi: 10.1080/02791072.2007.10399860."
)
FREEMAN = (
    "[4] Freeman MP, Danovitch I, Regev N, et al. A Randomized Controlled Trial of Intravenous Ketamine and "
    "Mindfulness-Based Cognitive Therapy for Treatment-Resistant Depression. Psychother Psychosom. "
    "2020;89(2):100-109. doi: 10.1159/000503577."
)
CRAVINGS = "Small studies show ketamine reduces cravings and consumption in opioid, cocaine and alcohol dependence for up to 2 weeks [5]."


class FakeScorer:
    """Scores a pair 9.0 when most of the claim's words are in the passage, else -9.0; records calls."""

    def __init__(self):
        self.calls: list[list[tuple[str, str]]] = []

    def __call__(self, pairs):
        self.calls.append(list(pairs))
        scores = []
        for claim, passage in pairs:
            words = {w for w in claim.lower().split() if len(w) > 3}
            shared = sum(w in passage.lower() for w in words)
            scores.append(9.0 if words and shared / len(words) >= 0.5 else -9.0)
        return scores


def support(sentence, passages, **kwargs):
    return sentence_support(sentence, passages, scorer=kwargs.pop("scorer", FakeScorer()), **kwargs)


# -- exact, whitespace, case -------------------------------------------------------------------------


def test_a_verbatim_sentence_is_supported_with_its_score_and_reason():
    result = support(GRABSKI, [GRABSKI])
    assert isinstance(result, SupportResult)
    assert result.supported and result.missing == [] and result.relevance == 9.0
    assert SUPPORT_THRESHOLD <= result.score <= 1.0 and result.novel == [] and result.evidence == GRABSKI
    assert "every key term found" in result.reason


def test_whitespace_case_and_citation_markers_do_not_matter():
    sentence = "  a 2022 phase 2 TRIAL (GRABSKI et al.)\n of 96   people [1] [2]  "
    assert missing_terms(sentence, [GRABSKI]) == []
    assert strip_citation_markers("up to 2 weeks [5]. [1]") == "up to 2 weeks."
    assert strip_citation_markers("[1] American Psychiatric Association. [2, 3] [2-4]") == "American Psychiatric Association."


def test_markers_are_stripped_before_scoring():
    scorer = FakeScorer()
    sentence_support(CRAVINGS + " [1]", [CRAVINGS], scorer=scorer)
    (claim, passage), = scorer.calls[0]
    assert "[" not in claim and "[" not in passage


# -- numbers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changed, missing",
    [
        ("of 69 people", "69"),  # digits swapped
        ("of 97 people", "97"),  # one digit changed
        ("infusions (0.5 mg/kg over 40 minutes)", "0.5 mg/kg"),  # dose
        ("infusions (0.85 mg/kg over 40 minutes)", "0.85 mg/kg"),  # never rounded
        ("infusions (8 mg/kg over 40 minutes)", "8 mg/kg"),  # 8 is not 0.8
        ("infusions (0.8 mg over 40 minutes)", "0.8 mg"),  # unit swapped
        ("infusions (0.8 mg/kg over 40 hours)", "40 hours"),  # unit swapped
        ("at 6 weeks than control", "6 weeks"),
        ("A 2021 Phase 2 trial", "2021"),  # year
        ("four IV ketamine infusions", "4"),  # spelled number changed
    ],
)
def test_a_changed_number_unit_dose_or_year_is_missing(changed, missing):
    original = {
        "of 69 people": "of 96 people",
        "of 97 people": "of 96 people",
        "A 2021 Phase 2 trial": "A 2022 Phase 2 trial",
        "four IV ketamine infusions": "three IV ketamine infusions",
        "at 6 weeks than control": "at 6 months than control",
    }.get(changed, "infusions (0.8 mg/kg over 40 minutes)")
    assert original in GRABSKI
    sentence = GRABSKI.replace(original, changed)
    result = support(sentence, [GRABSKI])
    assert not result.supported
    assert missing in result.missing
    assert math.isnan(result.score)  # not scored: a missing number already decides


def test_spelled_numbers_and_unit_spellings_match_digits():
    passage = "Benefits lasted for up to 2 weeks after a 40-minute infusion in 25 percent of patients."
    assert missing_terms("Benefits lasted up to two weeks.", [passage]) == []
    assert missing_terms("The infusion took 40 minutes.", [passage]) == []
    assert missing_terms("It helped 25% of patients.", [passage]) == []
    assert missing_terms("Benefits lasted up to three weeks.", [passage]) == ["3 weeks"]
    assert missing_terms("It helped 25.5% of patients.", [passage]) == ["25.5%"]


def test_a_month_matches_its_short_form_but_not_another_month():
    assert missing_terms("He died on November 10, 2018.", ["He died on Nov 10, 2018."]) == []
    assert missing_terms("The case remains open (June 2018).", ["The case remains open, 30 JUN 2018."]) == []
    assert missing_terms("He died on November 10, 2018.", ["He died on Oct 10, 2018."]) == ["November"]


def test_numbers_are_whole_tokens():
    passage = "In 1996, 0.85 of 1,000 patients improved."
    assert missing_terms("In 1996 they improved.", [passage]) == []
    assert missing_terms("1000 patients improved.", [passage]) == []  # thousands separator folded
    assert missing_terms("In 96 they improved.", [passage]) == ["96"]  # not the tail of 1996
    assert missing_terms("0.8 of them improved.", [passage]) == ["0.8"]  # not the head of 0.85
    assert missing_terms("85 of them improved.", [passage]) == ["85"]


def test_a_bare_number_matches_the_same_number_with_a_unit_but_not_the_reverse():
    assert missing_terms("The trial enrolled 96.", ["of 96 people"]) == []
    assert missing_terms("Effects lasted 6 months.", ["6 and 12 months of follow-up"]) == []  # shared unit
    assert missing_terms("Effects lasted 6 months.", ["at 6 of the 12 sites"]) == ["6 months"]


# -- names -------------------------------------------------------------------------------------------


def test_names_are_acronyms_capitalised_words_and_authors_but_not_ordinary_sentence_openers():
    assert names(GRABSKI) == ["Phase", "Grabski", "Am", "Psychiatry", "AUD", "IV"]
    assert names("Ketamine may help. Small studies show it.") == []
    assert names("Key finding: The odds of relapse were lower.") == []
    assert names(KRUPITSKY)[:6] == ["Krupitsky", "EM", "Burakov", "AM", "Dunaevsky", "IV"]
    assert "Shen" in names("Shen et al. published a review.")
    assert "Grabski" in names("Grabski's trial enrolled 96 people.")
    assert names("American Psychiatric Association. (2013). Diagnostic and statistical manual.")[:3] == [
        "American", "Psychiatric", "Association",
    ]  # fmt: skip
    assert "FDA" in names("There is no FDA-approved medication.")
    assert names("Treating it is an off-label use of naltrexone.") == []  # drug names are not names


@pytest.mark.parametrize(
    "sentence, missing",
    [
        (GRABSKI.replace("Grabski", "Dakwar"), "Dakwar"),  # author swapped
        (GRABSKI.replace("Am J Psychiatry", "Front Psychiatry"), "Front"),  # journal swapped
        (GRABSKI.replace("severe AUD", "severe OUD"), "OUD"),  # acronym swapped
        (KRUPITSKY.replace("J Psychoactive Drugs", "Psychother Psychosom"), "Psychother"),
    ],
)
def test_a_swapped_name_is_missing(sentence, missing):
    result = support(sentence, [GRABSKI, KRUPITSKY])
    assert not result.supported and missing in result.missing


def test_direction_and_negation_words_must_be_backed():
    passage = "Craving scores were substantially lower in the ketamine group."
    assert missing_terms("Craving scores were lower with ketamine.", [passage]) == []
    assert missing_terms("Craving scores were higher with ketamine.", [passage]) == ["higher"]
    assert missing_terms("Ketamine has no abuse potential.", ["However, risks like abuse potential remain."]) == ["no"]
    assert missing_terms("It is not approved.", ["There is no FDA-approved medication."]) == []  # one class
    # Each direction of an amount is one class: another word of it backs the claim's, the other
    # direction does not.
    assert missing_terms("Craving scores were reduced with ketamine.", [passage]) == []
    assert missing_terms("Craving scores increased with ketamine.", [passage]) == ["increased"]


# -- one sentence of one passage ---------------------------------------------------------------------


def test_terms_must_be_found_together_in_one_passage_sentence():
    chunk = GRABSKI + " " + REVIEW
    assert missing_terms(REVIEW, [chunk]) == []
    moved = GRABSKI.replace("A 2022 Phase", "A 2023 Phase")  # 2023 is in the chunk, but in the next sentence
    missing, absent = term_check(moved, [chunk])
    assert missing == ["2023"] and absent == []
    result = support(moved, [chunk])
    assert not result.supported and "'2023'" in result.reason and "where the closest sentence states another" in result.reason


def test_a_term_stated_twice_must_be_there_twice():
    chunk = FREEMAN + "\n\n" + KRUPITSKY
    assert missing_terms(KRUPITSKY, [chunk]) == []
    assert missing_terms(KRUPITSKY.replace("Krupitsky EM", "Burakov EM"), [chunk]) == ["Burakov"]
    assert missing_terms(FREEMAN.replace("Freeman MP", "Krupitsky MP"), [chunk]) == ["Krupitsky"]


def test_passage_sentences_keep_a_bibliography_entry_and_an_inline_citation_whole():
    plain = KRUPITSKY.removeprefix("[5] ")
    assert passage_sentences([plain]) == [plain]
    assert passage_sentences([GRABSKI + " " + REVIEW]) == [GRABSKI, REVIEW]
    assert missing_terms("Krupitsky et al. published in J Psychoactive Drugs in 2007.", [plain]) == []


# -- the fitted judge ---------------------------------------------------------------------------------


def test_a_sentence_with_its_terms_but_off_topic_fails_on_the_judge():
    scorer = lambda pairs: [-9.0 for _ in pairs]  # noqa: E731 - the close evidence does not address it
    result = sentence_support("Ketamine is studied for cocaine use disorder.", [GRABSKI], scorer=scorer)
    assert not result.supported and result.missing == [] and result.score < SUPPORT_THRESHOLD
    assert f"< {SUPPORT_THRESHOLD:.2f}" in result.reason and "relevance of the best evidence sentence -9.00" in result.reason


def test_words_the_evidence_lacks_are_named_and_lower_the_support():
    faithful = support("Ketamine plus therapy led to more days abstinent.", [GRABSKI])
    added = support("Ketamine plus therapy led to more days abstinent and cured depression in adolescents.", [GRABSKI])
    assert faithful.supported and faithful.novel == []
    assert added.novel == ["cured", "depression", "adolescents"] and added.score < faithful.score
    assert "'cured'" in added.reason or added.supported


def test_the_threshold_is_inclusive_and_can_be_raised():
    shorter = GRABSKI.replace("plus therapy led to", "led to")  # not word for word
    judged = support(shorter, [GRABSKI])
    assert sentence_support(shorter, [GRABSKI], scorer=FakeScorer(), threshold=judged.score).supported
    assert not sentence_support(shorter, [GRABSKI], scorer=FakeScorer(), threshold=min(1.0, judged.score + 1e-6)).supported


def test_a_sentence_the_passage_states_word_for_word_passes_at_any_threshold():
    result = sentence_support(f"{GRABSKI.upper()} [1]", [GRABSKI], scorer=FakeScorer(), threshold=1.0)
    assert result.supported and result.reason.startswith("quoted word for word from the passage")
    assert not sentence_support(GRABSKI.replace("more days", "fewer days"), [GRABSKI], scorer=FakeScorer(), threshold=1.0).supported


def test_only_passages_that_pass_the_key_terms_are_read():
    scorer = FakeScorer()
    result = sentence_support(REVIEW, [GRABSKI, REVIEW], scorer=scorer)
    assert result.supported and result.evidence == REVIEW
    assert all(GRABSKI not in passage for call in scorer.calls for _, passage in call)
    assert all(len(call) <= 2 for call in scorer.calls)  # at most two cross-encoder pairs a sentence


def test_a_term_copied_from_another_sentence_into_a_near_copy_is_a_swap():
    chunk = FREEMAN + "\n" + KRUPITSKY
    swapped = KRUPITSKY.replace("Burakov AM", "Freeman AM")  # Freeman is in the chunk, not in this entry
    result = support(swapped, [chunk])
    assert not result.supported and "Freeman" in result.missing
    assert "where the closest sentence states another" in result.reason


def test_no_passage_or_an_empty_sentence_is_unsupported():
    assert sentence_support("Ketamine helps.", [], scorer=FakeScorer()).reason == "no passage cited"
    assert not sentence_support("Ketamine helps.", ["", "  "], scorer=FakeScorer()).supported
    assert not sentence_support(" [1] ", [GRABSKI], scorer=FakeScorer()).supported


def test_key_terms_lists_each_term_once_with_its_kind():
    terms = key_terms(GRABSKI)
    kinds = {term.surface: term.kind for term in terms}
    assert kinds["0.8 mg/kg"] == "number" and kinds["Grabski"] == "name" and kinds["fewer"] == "direction"
    assert [t.surface for t in terms].count("2022") == 1


def test_the_lines_of_a_list_are_read_as_sentences_apart():
    # Folding the list into one line made "...control use fail Use continues..." read as "fail to use".
    from qa.eval.negated_words import negation_conflicts
    from qa.eval.support import evidence_sentences

    passage = "Common symptoms include:\n  • Attempts to cut back or control use fail\n  • Use continues despite problems [1].\n"
    claim = "Use continues despite problems."
    sentences = evidence_sentences(claim, [passage])
    assert "Attempts to cut back or control use fail" in sentences and "Use continues despite problems." in sentences
    assert negation_conflicts(claim, sentences) == []
