"""qa.text.sentences and qa.compose.extractive: sentence candidates, max-of-sentences passage scores, quote selection, leaning
sentences, on hand-built chunks with fake scores (completion and citations:
`test_extractive_citations.py`)."""

from __future__ import annotations

import pytest

from extractive_fixtures import LINES, SPANS, TEXT, candidate, headings, make_chunk, settings
from ingest.store import StoredChunk
from qa.compose.extractive import select_quotes
from qa.text.sentences import (
    Candidate,
    candidate_sentences,
    discount_leaning,
    passage_scores,
    scoring_text,
    shares_a_word_below,
)

# -- candidate_sentences -----------------------------------------------------------------------------


def test_candidates_skip_headings_and_dedup_overlapping_chunks():
    first, second = make_chunk(0, 3), make_chunk(3, 7)  # sentence 3 is in both
    candidates = candidate_sentences([first, second], headings)
    assert [(c.start, c.end) for c in candidates] == [SPANS[i][:2] for i in (1, 2, 3, 4, 5, 6, 7)]
    assert [c.chunk.id for c in candidates] == [first.id] * 3 + [second.id] * 4  # the first passage keeps it
    assert [c.kind for c in candidates] == ["text", "text", "text", "bullet", "bullet", "bullet", "text"]
    for c in candidates:
        assert c.text == TEXT[c.start : c.end]
        assert c.heading == "Alcohol Use Disorder"


def test_candidates_follow_retrieval_order_and_keep_references():
    later, earlier = make_chunk(7, 8), make_chunk(1, 2)
    candidates = candidate_sentences([later, earlier], headings)
    assert [c.text for c in candidates] == [LINES[7][0], LINES[8][0], LINES[1][0], LINES[2][0]]
    assert candidates[1].kind == "reference"


def test_candidates_of_nothing():
    assert candidate_sentences([], headings) == []
    assert candidate_sentences([make_chunk(0, 0)], headings) == []  # a heading alone


def test_scoring_text_prefixes_the_section_heading():
    chunk = make_chunk(0, 2)
    assert scoring_text(candidate(chunk, 1)) == "Alcohol Use Disorder: " + LINES[1][0]
    no_heading = Candidate(chunk, 0, 5, "text", "Alcoh", None)
    assert scoring_text(no_heading) == "Alcoh"


# -- passage_scores ----------------------------------------------------------------------------------


def test_passage_score_is_its_best_sentence():
    first, second, heading_only = make_chunk(0, 3), make_chunk(3, 7), make_chunk(0, 0)
    candidates = candidate_sentences([first, second, heading_only], headings)
    scores = [1.0, 5.0, -2.0, 0.5, 0.0, -1.0, 2.0]  # sentences 1..7
    ranked = passage_scores([first, second, heading_only], candidates, scores)
    assert [(chunk.id, score) for chunk, score in ranked] == [
        (first.id, 5.0),
        (second.id, 2.0),  # its own sentences 3..7, including the one shared with `first`
        (heading_only.id, float("-inf")),
    ]


def test_shared_sentence_counts_for_both_passages():
    first, second = make_chunk(0, 3), make_chunk(3, 5)
    candidates = candidate_sentences([first, second], headings)
    scores = [-4.0, -4.0, 3.0, -1.0, -2.0]  # the shared sentence 3 is the best
    ranked = dict((chunk.id, score) for chunk, score in passage_scores([first, second], candidates, scores))
    assert ranked == {first.id: 3.0, second.id: 3.0}


# -- select_quotes -----------------------------------------------------------------------------------


def _candidates(*numbers: int) -> tuple[list[Candidate], StoredChunk]:
    chunk = make_chunk(0, 8)
    return [candidate(chunk, n) for n in numbers], chunk


def test_select_quotes_best_first_up_to_max_quotes():
    candidates, chunk = _candidates(1, 2, 7, 3)
    chosen = select_quotes(candidates, [5.0, 4.9, 4.8, 4.7], {chunk.id}, settings(max_quotes=2))
    assert [(c.text, s) for c, s in chosen] == [(LINES[1][0], 5.0), (LINES[2][0], pytest.approx(4.9))]


def test_select_quotes_margin_from_the_best():
    candidates, chunk = _candidates(1, 2, 7)
    chosen = select_quotes(candidates, [5.0, 3.9, 4.0], {chunk.id}, settings(quote_margin=1.0))
    assert [c.text for c, _ in chosen] == [LINES[1][0], LINES[7][0]]  # 4.0 is exactly at the floor


def test_select_quotes_minimum_score():
    candidates, chunk = _candidates(1, 2)
    chosen = select_quotes(candidates, [-2.5, -3.5], {chunk.id}, settings(quote_margin=4.0, min_quote_score=-3.0))
    assert [(c.text, s) for c, s in chosen] == [(LINES[1][0], -2.5)]
    assert select_quotes(candidates, [-4.0, -5.0], {chunk.id}, settings(min_quote_score=-3.0)) == []
    # After an exchange the floor does not apply; the margin still does.
    chosen = select_quotes(candidates, [-4.0, -5.0], {chunk.id}, settings(quote_margin=4.0, min_quote_score=-3.0), first_question=False)
    assert [(c.text, s) for c, s in chosen] == [(LINES[1][0], -4.0), (LINES[2][0], -5.0)]
    chosen = select_quotes(candidates, [-4.0, -5.0], {chunk.id}, settings(quote_margin=0.5, min_quote_score=-3.0), first_question=False)
    assert [(c.text, s) for c, s in chosen] == [(LINES[1][0], -4.0)]


def test_select_quotes_only_from_allowed_passages():
    chunk_a, chunk_b = make_chunk(0, 2), make_chunk(7, 8)
    candidates = [candidate(chunk_a, 1), candidate(chunk_b, 7)]
    chosen = select_quotes(candidates, [9.0, 5.0], {chunk_b.id}, settings())
    assert [c.text for c, _ in chosen] == [LINES[7][0]]
    assert select_quotes(candidates, [9.0, 5.0], set(), settings()) == []
    assert select_quotes([], [], {chunk_a.id}, settings()) == []


def test_select_quotes_drops_near_duplicates():
    text = "Ketamine reduced cravings in patients.\nKetamine reduced the cravings of patients!\nCravings fell."
    spans = [(0, 38, "text"), (39, 81, "text"), (82, 96, "text")]
    assert [text[s:e] for s, e, _ in spans] == [
        "Ketamine reduced cravings in patients.",
        "Ketamine reduced the cravings of patients!",
        "Cravings fell.",
    ]
    chunk = make_chunk(0, 2, source="dup.txt", text=text, spans=spans)
    candidates = [candidate(chunk, n, spans, text) for n in range(3)]
    chosen = select_quotes(candidates, [3.0, 2.9, 1.0], {chunk.id}, settings(max_quotes=2))
    assert [c.text for c, _ in chosen] == ["Ketamine reduced cravings in patients.", "Cravings fell."]


# -- list items, leaning sentences, lower passages ----------------------------------------------------


def test_candidates_read_a_list_item_with_its_lead_in():
    chunk = make_chunk(0, 8)
    lead_in = lambda source, offset: LINES[3][0] if SPANS[4][0] <= offset <= SPANS[6][0] else None  # noqa: E731
    by_text = {c.text: c for c in candidate_sentences([chunk], headings, lead_in=lead_in)}
    assert by_text["Tolerance"].context == "Common symptoms include:"
    assert scoring_text(by_text["Tolerance"]) == "Alcohol Use Disorder: Common symptoms include: Tolerance"
    assert by_text["Patients had more days abstinent."].context is None


def _with_context(chunk: StoredChunk, number: int, context: str | None) -> Candidate:
    start, end, kind = SPANS[number]
    return Candidate(chunk, start, end, kind, TEXT[start:end], None, context)


def test_select_quotes_a_list_lead_in_and_its_items_count_as_one_quote():
    chunk = make_chunk(0, 8)
    lead = LINES[3][0]
    candidates = [_with_context(chunk, 3, None), _with_context(chunk, 4, lead), _with_context(chunk, 5, lead), _with_context(chunk, 7, None)]
    chosen = select_quotes(candidates, [5.0, 4.9, 4.8, 4.7], {chunk.id}, settings(max_quotes=2))
    assert [c.text for c, _ in chosen] == ["Common symptoms include:", "Strong cravings", "Tolerance", "More research is needed."]


def test_a_leaning_sentence_that_adds_nothing_to_the_one_before_is_discounted():
    chunk = make_chunk(0, 8)
    lead, leaning = _with_context(chunk, 1, None), _with_context(chunk, 2, LINES[1][0])
    assert discount_leaning([lead, leaning], [5.0, 4.5]) == [5.0, pytest.approx(4.5 - 5.0)]
    assert discount_leaning([lead, leaning], [5.0, 5.5]) == [5.0, 5.5]  # it adds: kept
    alone = _with_context(chunk, 2, None)
    assert discount_leaning([lead, alone], [5.0, 4.5]) == [5.0, 4.5]  # read alone: its own score
    assert discount_leaning([leaning], [4.5]) == [4.5]  # the sentence it leans on was not retrieved


def test_sentences_of_lower_passages_are_scored_only_when_they_share_a_telling_word():
    top, lower = make_chunk(0, 2), make_chunk(3, 8)
    candidates = [candidate(top, 1), candidate(top, 2), candidate(lower, 4), candidate(lower, 7)]
    common = lambda token: token == "research"  # noqa: E731 - in most chunks of this corpus
    kept = shares_a_word_below(candidates, {top.id}, "Do strong cravings need more research?", common)
    assert [c.text for c in kept] == [LINES[1][0], LINES[2][0], "Strong cravings"]  # "research" tells nothing
    assert shares_a_word_below(candidates, None, "anything") == candidates
    assert [c.text for c in shares_a_word_below(candidates, {top.id}, "What about craving?")][-1] == "Strong cravings"  # same first letters
