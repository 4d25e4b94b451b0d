"""qa.extractive: sentence candidates, max-of-sentences passage scores, quote selection, list and
bibliography completion, reading order and citations, on hand-built chunks with fake scores."""

from __future__ import annotations

import pytest

from ingest.store import StoredChunk
from qa.extractive import (
    shares_a_word_below,
    discount_leaning,
    Candidate,
    build_citations,
    candidate_sentences,
    complete,
    passage_scores,
    reading_order,
    scoring_text,
    select_quotes,
)
from qa.settings import Settings

# A small document: (text, kind) lines joined by newlines; offsets are computed, never typed.
LINES = [
    ("Alcohol Use Disorder", "heading"),  # 0
    ("The trial used 0.8 mg/kg over 40 minutes [2].", "text"),  # 1
    ("Patients had more days abstinent.", "text"),  # 2
    ("Common symptoms include:", "text"),  # 3
    ("Strong cravings", "bullet"),  # 4
    ("Tolerance", "bullet"),  # 5
    ("Withdrawal when stopping", "bullet"),  # 6
    ("More research is needed.", "text"),  # 7
    ("[2] Grabski M, et al. Am J Psychiatry. 2022;179(2):152-162.", "reference"),  # 8
]
SOURCE = "evidence.txt"
TEXT = "\n".join(text for text, _ in LINES)
SPANS: list[tuple[int, int, str]] = []
_offset = 0
for _text, _kind in LINES:
    SPANS.append((_offset, _offset + len(_text), _kind))
    _offset += len(_text) + 1
BIBLIOGRAPHY = {2: {"n": 2, "text": LINES[8][0], "doi": None, "year": 2022}}


def make_chunk(first: int, last: int, source: str = SOURCE, text: str = TEXT, spans=None) -> StoredChunk:
    """The chunk holding sentences first..last (inclusive) of a document."""
    spans = spans or SPANS
    start, end = spans[first][0], spans[last][1]
    return StoredChunk(
        id=f"{source}:{first}-{last}",
        source=source,
        title="Evidence",
        text=text[start:end],
        start=start,
        end=end,
        sentences=tuple(spans[first : last + 1]),
        references=(),
    )


def headings(source: str, offset: int):
    return "Alcohol Use Disorder" if source == SOURCE and offset > SPANS[0][0] else None


def candidate(chunk: StoredChunk, number: int, spans=None, text: str = TEXT) -> Candidate:
    start, end, kind = (spans or SPANS)[number]
    return Candidate(chunk, start, end, kind, text[start:end], headings(chunk.source, start))


class FakeIndex:
    """The three look-ups `complete()` needs, over one document."""

    def __init__(self, chunks: list[StoredChunk]):
        self.chunks = chunks
        self.ordered = {SOURCE: [(s, e, k, TEXT[s:e]) for s, e, k in SPANS]}

    def sentences_after(self, source, offset, limit):
        return [span for span in self.ordered.get(source, ()) if span[0] > offset][:limit]

    def reference_sentence(self, source, number):
        for span in self.ordered.get(source, ()):
            if span[2] == "reference" and span[3].startswith(f"[{number}]"):
                return span
        return None

    def chunk_containing(self, source, start, end):
        for chunk in self.chunks:
            if chunk.source == source and chunk.start <= start and end <= chunk.end:
                return chunk
        return None


def settings(**overrides) -> Settings:
    values = {"max_quotes": 3, "quote_margin": 4.0, "min_quote_score": -3.0, **overrides}
    return Settings(**values)


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


# -- complete ----------------------------------------------------------------------------------------


def test_complete_adds_the_items_of_a_list_lead_in():
    lead_chunk, list_chunk = make_chunk(0, 3), make_chunk(4, 8)
    index = FakeIndex([lead_chunk, list_chunk])
    quotes = [(candidate(lead_chunk, 3), 6.5)]
    completed = complete(quotes, "What are common symptoms?", index)
    assert [(c.text, c.kind, c.chunk.id, s) for c, s in completed] == [
        ("Common symptoms include:", "text", lead_chunk.id, 6.5),
        ("Strong cravings", "bullet", list_chunk.id, 6.5),  # cited to the passage that holds it
        ("Tolerance", "bullet", list_chunk.id, 6.5),
        ("Withdrawal when stopping", "bullet", list_chunk.id, 6.5),  # stops at the next non-bullet
    ]
    assert all(c.heading == "Alcohol Use Disorder" for c, _ in completed)


def test_complete_does_not_repeat_a_quoted_item():
    chunk = make_chunk(0, 8)
    quotes = [(candidate(chunk, 3), 6.5), (candidate(chunk, 5), 2.0)]
    completed = complete(quotes, "What are common symptoms?", FakeIndex([chunk]))
    assert [(c.text, s) for c, s in completed] == [
        ("Common symptoms include:", 6.5),
        ("Tolerance", 2.0),
        ("Strong cravings", 6.5),
        ("Withdrawal when stopping", 6.5),
    ]


def test_complete_adds_the_bibliography_line_for_a_source_question():
    chunk, reference_chunk = make_chunk(0, 3), make_chunk(7, 8)
    index = FakeIndex([chunk, reference_chunk])
    quotes = [(candidate(chunk, 1), 4.0)]
    completed = complete(quotes, "Which paper reported the dose?", index)
    assert [(c.text, c.kind, c.chunk.id, s) for c, s in completed] == [
        (LINES[1][0], "text", chunk.id, 4.0),
        (LINES[8][0], "reference", reference_chunk.id, 4.0),
    ]
    start, end = SPANS[8][:2]
    assert (completed[1][0].start, completed[1][0].end) == (start, end)


def test_complete_leaves_other_questions_alone():
    chunk = make_chunk(0, 8)
    quotes = [(candidate(chunk, 1), 4.0), (candidate(chunk, 2), 3.0)]
    assert complete(quotes, "What dose was used?", FakeIndex([chunk])) == quotes


def test_complete_falls_back_to_the_quoting_chunk_when_no_chunk_holds_the_line():
    chunk = make_chunk(0, 3)
    completed = complete([(candidate(chunk, 1), 4.0)], "What is the source?", FakeIndex([]))
    assert [(c.text, c.chunk.id) for c, _ in completed] == [(LINES[1][0], chunk.id), (LINES[8][0], chunk.id)]


# -- reading_order -----------------------------------------------------------------------------------


def test_reading_order_best_document_first_then_document_order():
    evidence = make_chunk(0, 8)
    other_text = "First point.\nSecond point."
    other_spans = [(0, 12, "text"), (13, 26, "text")]
    other = make_chunk(0, 1, source="overview.txt", text=other_text, spans=other_spans)
    quotes = [
        (candidate(evidence, 7), 3.0),
        (candidate(other, 1, other_spans, other_text), 6.0),
        (candidate(evidence, 1), 5.0),
        (candidate(other, 0, other_spans, other_text), 1.0),
    ]
    ordered = reading_order(quotes)
    assert [(c.chunk.source, c.text) for c, _ in ordered] == [
        ("overview.txt", "First point."),
        ("overview.txt", "Second point."),
        (SOURCE, LINES[1][0]),
        (SOURCE, LINES[7][0]),
    ]
    assert reading_order([]) == []


# -- build_citations ---------------------------------------------------------------------------------


def _document(source):
    return {"text": TEXT, "references": BIBLIOGRAPHY} if source == SOURCE else None


def test_citations_are_numbered_per_passage_and_quote_exact_spans():
    first, second = make_chunk(0, 2), make_chunk(7, 8)
    quotes = [(candidate(first, 1), 5.0), (candidate(second, 7), 3.0), (candidate(first, 2), 4.0)]
    text, citations = build_citations(quotes, _document)
    assert text == f"{LINES[1][0]} [1] {LINES[7][0]} [2] {LINES[2][0]} [1]"
    assert [c.n for c in citations] == [1, 2, 1]
    for citation, (cand, score) in zip(citations, quotes):
        assert TEXT[citation.start : citation.end] == citation.quote == cand.text
        assert citation.source == SOURCE and citation.title == "Evidence"
        assert citation.score == score
        assert (citation.passage_start, citation.passage_end) == (cand.chunk.start, cand.chunk.end)
        assert citation.page is None
    assert citations[0].references == [BIBLIOGRAPHY[2]]  # the quote carries "[2]"
    assert citations[1].references == [] and citations[2].references == []


def test_bullets_go_on_their_own_lines():
    chunk = make_chunk(0, 8)
    quotes = [(candidate(chunk, n), 6.0) for n in (3, 4, 5)] + [(candidate(chunk, 7), 2.0)]
    text, citations = build_citations(quotes, _document)
    assert text == "Common symptoms include: [1]\n- Strong cravings [1]\n- Tolerance [1]\nMore research is needed. [1]"
    assert [c.n for c in citations] == [1, 1, 1, 1]


def test_unknown_document_or_marker_gives_no_references():
    chunk = make_chunk(0, 8, source="missing.txt")
    text, citations = build_citations([(candidate(chunk, 1), 1.0)], _document)
    assert text == f"{LINES[1][0]} [1]"
    assert citations[0].references == []
    assert build_citations([], _document) == ("", [])


# -- list items, source questions, questions across documents, leaning sentences -------------------


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
