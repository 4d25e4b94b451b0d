"""qa.text.bm25: tokenisation, idf / document frequency, and Okapi BM25 ranking on hand-made texts."""

from __future__ import annotations

import math

import pytest

from qa.text.bm25 import BM25, STOP_WORDS, tokenize

# -- tokenize ----------------------------------------------------------------------------------------


def test_tokenize_drops_stop_words_and_lowercases():
    assert tokenize("What is THE dose of Ketamine in the trial?") == ["dose", "ketamine", "trial"]


def test_tokenize_keeps_decimal_numbers_and_units():
    assert tokenize("three IV ketamine infusions (0.8 mg/kg over 40 minutes)") == [
        "three",
        "iv",
        "ketamine",
        "infusion",
        "0.8",
        "mg/kg",
        "40",
        "minute",
    ]


def test_tokenize_keeps_citation_numbers_as_separate_tokens():
    assert tokenize("Am J Psychiatry. 2022;179(2):152-162") == ["j", "psychiatry", "2022", "179", "2", "152", "162"]


@pytest.mark.parametrize(
    "word, token",
    [
        ("trials", "trial"),  # plural stripped
        ("patients", "patient"),
        ("days", "days"),  # four letters: left alone
        ("gas", "gas"),
        ("process", "process"),  # -ss is not a plural
        ("stimulus", "stimulus"),  # -us
        ("analysis", "analysis"),  # -is
        ("weeks.", "week"),  # trailing full stop is not part of the token
    ],
)
def test_tokenize_plural_strip(word, token):
    assert tokenize(word) == [token]


def test_tokenize_only_stop_words_or_symbols_is_empty():
    assert tokenize("what was it that they did?") == []
    assert tokenize("!!! ??? ### ~~~") == []
    assert tokenize("") == []


def test_stop_words_cover_question_glue_but_not_content():
    assert {"what", "was", "the", "of", "in"} <= STOP_WORDS
    assert not {"dose", "ketamine", "alcohol", "trial"} & STOP_WORDS


# -- idf, document frequency, scores ---------------------------------------------------------------

TEXTS = [
    "ketamine dose trial",  # 0: 3 tokens
    "alcohol trial",  # 1: 2 tokens
    "cocaine cocaine trial",  # 2: 3 tokens
    "",  # 3: 0 tokens -> average length 2.0
]


def _term_score(idf: float, count: int, length: int, average: float, k1: float = 1.5, b: float = 0.75) -> float:
    return idf * count * (k1 + 1) / (count + k1 * (1 - b + b * length / average))


def test_document_frequency_is_share_of_texts():
    bm25 = BM25(TEXTS)
    assert bm25.size == 4
    assert bm25.document_frequency("trial") == 0.75
    assert bm25.document_frequency("cocaine") == 0.25  # twice in one text counts once
    assert bm25.document_frequency("heroin") == 0.0


def test_idf_values():
    bm25 = BM25(TEXTS)
    assert bm25.idf("trial") == pytest.approx(math.log(1 + (4 - 3 + 0.5) / (3 + 0.5)))
    assert bm25.idf("cocaine") == pytest.approx(math.log(1 + (4 - 1 + 0.5) / (1 + 0.5)))
    assert bm25.idf("heroin") == pytest.approx(math.log(1 + 4.5 / 0.5))
    assert bm25.idf("cocaine") > bm25.idf("trial")  # rarer is more telling


def test_scores_exact_values_and_texts_without_terms_left_out():
    bm25 = BM25(TEXTS)
    scores = bm25.scores("Which cocaine trial?")
    idf_cocaine, idf_trial = bm25.idf("cocaine"), bm25.idf("trial")
    assert set(scores) == {0, 1, 2}
    assert scores[0] == pytest.approx(_term_score(idf_trial, 1, 3, 2.0))
    assert scores[1] == pytest.approx(_term_score(idf_trial, 1, 2, 2.0))
    assert scores[2] == pytest.approx(_term_score(idf_cocaine, 2, 3, 2.0) + _term_score(idf_trial, 1, 3, 2.0))


def test_repeated_query_terms_count_once():
    bm25 = BM25(TEXTS)
    assert bm25.scores("cocaine cocaine cocaine") == pytest.approx(bm25.scores("cocaine"))


def test_query_matching_nothing_or_only_stop_words():
    bm25 = BM25(TEXTS)
    assert bm25.scores("heroin") == {}
    assert bm25.scores("what was the") == {}
    assert bm25.top("what was the", 5) == []


def test_top_ranks_a_small_list():
    bm25 = BM25(
        [
            "Withdrawal symptoms when stopping use",
            "Three IV ketamine infusions (0.8 mg/kg over 40 minutes) in the alcohol trial",
            "A single ketamine infusion in the cocaine trial",
            "Cravings and tolerance",
        ]
    )
    ranked = bm25.top("ketamine dose in the alcohol trial", 10)
    assert [index for index, _ in ranked] == [1, 2]
    assert ranked[0][1] > ranked[1][1] > 0
    assert [index for index, _ in bm25.top("0.8 mg/kg", 10)] == [1]
    # "Cravings" matches "craving" (plural strip); one term each, the shorter text ranks first.
    assert [index for index, _ in bm25.top("withdrawal craving", 10)] == [3, 0]


def test_top_truncates_to_k_and_breaks_ties_by_position():
    bm25 = BM25(["alcohol trial", "other words", "alcohol trial", "alcohol trial"])
    ranked = bm25.top("alcohol", 2)
    assert [index for index, _ in ranked] == [0, 2]
    assert ranked[0][1] == ranked[1][1]
    assert [index for index, _ in bm25.top("alcohol", 10)] == [0, 2, 3]


def test_longer_text_scores_lower_for_the_same_count():
    bm25 = BM25(["cocaine trial", "cocaine trial with many more other words here"])
    scores = bm25.scores("cocaine")
    assert scores[0] > scores[1]


def test_empty_index():
    bm25 = BM25([])
    assert bm25.size == 0
    assert bm25.document_frequency("ketamine") == 0.0
    assert bm25.scores("ketamine dose") == {}
    assert bm25.top("ketamine dose", 5) == []


def test_a_word_counts_as_present_in_another_form_with_the_same_first_five_letters():
    bm25 = BM25(["data remain limited", "a cocaine trial"])
    assert bm25.has_form_of("limited") and bm25.has_form_of("limitation")
    assert bm25.has_form_of("cocaine")
    assert not bm25.has_form_of("cannabis")
    assert not bm25.has_form_of("limb")  # too short to compare by its first letters
    assert not BM25([]).has_form_of("limited")
