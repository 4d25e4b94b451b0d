"""ingest.references: the bibliography parsed, in-text markers found, and linked after ingest."""

from __future__ import annotations

from conftest import CORPUS, EVIDENCE, OVERVIEW
from ingest.load import load_document
from ingest.pipeline import run_ingest
from ingest.references import Reference, cited_numbers, parse_references


def overview_text() -> str:
    return load_document(CORPUS / OVERVIEW, CORPUS).text


def test_the_real_bibliography_has_five_entries():
    references = parse_references(overview_text())
    assert sorted(references) == [1, 2, 3, 4, 5]
    assert [references[n].year for n in range(1, 6)] == [2013, 2015, 2018, 2020, 2007]
    assert [references[n].doi for n in range(1, 6)] == [
        None,
        "10.1111/nyas.12747",
        "10.3389/fnmol.2018.00235",
        "10.1159/000503577",
        "10.1080/02791072.2007.10399860",
    ]
    assert references[1].text == (
        "[1] American Psychiatric Association. (2013). Diagnostic and statistical manual of mental disorders (5th ed.)."
    )
    assert references[5].text.startswith("[5] Krupitsky EM, Burakov AM, Dunaevsky IV, et al. Single versus")
    assert references[5].to_dict() == {
        "n": 5,
        "text": references[5].text,
        "doi": "10.1080/02791072.2007.10399860",
        "year": 2007,
    }


def test_a_document_without_a_bibliography_has_none():
    assert parse_references(load_document(CORPUS / EVIDENCE, CORPUS).text) == {}


def test_the_first_entry_wins_when_a_number_repeats():
    text = "[1] First A. Journal. 2001;1:1.\n[1] Second B. Journal. 2002;2:2."
    assert parse_references(text) == {1: Reference(1, "[1] First A. Journal. 2001;1:1.", None, 2001)}


def test_markers():
    assert cited_numbers("for up to 2 weeks [5].") == [5]
    assert cited_numbers("as shown before [2, 3].") == [2, 3]
    assert cited_numbers("in several trials [2-4] and [7].") == [2, 3, 4, 7]
    assert cited_numbers("with an en dash [2\u20134] and a repeat [3].") == [2, 3, 4]
    assert cited_numbers("no markers (2015) or [a] here") == []


def test_an_absurd_range_is_read_as_its_first_number():
    assert cited_numbers("see [3-900]") == [3]


def test_a_bibliography_line_cites_nothing():
    assert cited_numbers("[5] Krupitsky EM, Burakov AM. J Psychoactive Drugs. 2007;39(1):13-9.") == []


def test_markers_in_the_real_document():
    text = overview_text()
    found = [n for line in text.split("\n") for n in cited_numbers(line)]
    assert found == [1, 2, 3, 4, 5]


def test_after_ingest_the_chunk_with_the_marker_links_to_its_entry(corpus_copy, index_settings, embedder):
    from ingest.pipeline import signature
    from ingest.store import IndexStore

    run_ingest([corpus_copy], index_settings, progress=False, embedder=embedder)
    store = IndexStore(index_settings.index, signature(index_settings), create=False)
    chunks = sorted((c for c in store.all_chunks() if c.source == OVERVIEW), key=lambda c: c.start)
    with_marker = [c for c in chunks if "up to 2 weeks [5]" in c.text]
    assert len(with_marker) == 1
    # the chunk's prose cites the three mechanism bullets [2]-[4] and the sentence with [5]
    assert with_marker[0].references == (2, 3, 4, 5)
    entry = store.document(OVERVIEW)["references"][5]
    assert entry["text"].startswith("[5] Krupitsky EM")
    assert entry["doi"] == "10.1080/02791072.2007.10399860"
    assert entry["year"] == 2007
    assert sorted(store.document(OVERVIEW)["references"]) == [1, 2, 3, 4, 5]
    assert store.document(EVIDENCE)["references"] == {}
    # Markers come from prose only: chunks holding bibliography lines cite nothing through them.
    assert [c.references for c in chunks] == [(1, 2), (2, 3, 4, 5), (), (), (), ()]
    assert chunks[2].text.startswith("More research is needed") and "[1] American Psychiatric" in chunks[2].text
