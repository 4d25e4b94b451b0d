"""qa.compose.extractive, after quotes are chosen: list and bibliography completion, reading order and
numbered citations with exact spans, on hand-built chunks."""

from __future__ import annotations

from extractive_fixtures import BIBLIOGRAPHY, LINES, SOURCE, SPANS, TEXT, FakeIndex, candidate, make_chunk
from qa.compose.extractive import complete, reading_order
from qa.text.sentences import build_citations

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


SECTIONS_TEXT = "Evidence is promising. Key findings by condition:\nAlcohol\nThe trial used 0.8 mg/kg."
SECTIONS_SPANS = [(0, 22, "text"), (23, 49, "text"), (50, 57, "heading"), (58, 83, "text")]


class SectionsIndex:
    """A one-document index whose colon lead-in introduces a section heading, not list items."""

    def sentences_after(self, source, offset, limit):
        spans = [(s, e, k, SECTIONS_TEXT[s:e]) for s, e, k in SECTIONS_SPANS]
        return [span for span in spans if span[0] > offset][:limit]


def test_complete_drops_a_lead_in_of_sections_beside_other_quotes():
    chunk = make_chunk(0, 3, source="sections.txt", text=SECTIONS_TEXT, spans=SECTIONS_SPANS)
    lead = candidate(chunk, 1, SECTIONS_SPANS, SECTIONS_TEXT)
    assert lead.text == "Key findings by condition:"
    opening = candidate(chunk, 0, SECTIONS_SPANS, SECTIONS_TEXT)
    completed = complete([(opening, 5.0), (lead, 4.0)], "What is the evidence?", SectionsIndex())
    assert [c.text for c, _ in completed] == ["Evidence is promising."]
    # Alone it stays: the decision judged it, and an answer needs a quote.
    assert [c.text for c, _ in complete([(lead, 4.0)], "What is the evidence?", SectionsIndex())] == [lead.text]
    # The list lead-in of the shared document keeps its place beside other quotes.
    list_chunk = make_chunk(0, 8)
    kept = complete([(candidate(list_chunk, 1), 5.0), (candidate(list_chunk, 3), 4.0)], "Symptoms?", FakeIndex([list_chunk]))
    assert "Common symptoms include:" in [c.text for c, _ in kept]


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


def test_citations_are_numbered_per_quoted_span_and_quote_exact_spans():
    first, second = make_chunk(0, 2), make_chunk(7, 8)
    quotes = [(candidate(first, 1), 5.0), (candidate(second, 7), 3.0), (candidate(first, 2), 4.0)]
    text, citations = build_citations(quotes, _document)
    # The document's own marker "[2]" reads "(ref. 2)" in the text, apart from the citation numbers.
    assert text == f"The trial used 0.8 mg/kg over 40 minutes (ref. 2). [1] {LINES[7][0]} [2] {LINES[2][0]} [3]"
    assert [c.n for c in citations] == [1, 2, 3]  # same passage, different spans: different numbers
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
    assert text == "Common symptoms include: [1]\n- Strong cravings [2]\n- Tolerance [3]\nMore research is needed. [4]"
    assert [c.n for c in citations] == [1, 2, 3, 4]


def test_a_repeated_span_keeps_its_number():
    chunk = make_chunk(0, 2)
    text, citations = build_citations([(candidate(chunk, 2), 2.0), (candidate(chunk, 2), 1.0)], _document)
    assert [c.n for c in citations] == [1, 1] and text == f"{LINES[2][0]} [1] {LINES[2][0]} [1]"


def test_unknown_document_or_marker_gives_no_references():
    chunk = make_chunk(0, 8, source="missing.txt")
    text, citations = build_citations([(candidate(chunk, 1), 1.0)], _document)
    assert text == "The trial used 0.8 mg/kg over 40 minutes (ref. 2). [1]"
    assert citations[0].quote == LINES[1][0] and citations[0].references == []
    assert build_citations([], _document) == ("", [])
