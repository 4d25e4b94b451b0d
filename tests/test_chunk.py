"""ingest.chunk: whole sentences packed into overlapping chunks whose offsets always hold."""

from __future__ import annotations

import random

import pytest

from conftest import CORPUS, EVIDENCE, OVERVIEW
from ingest.chunk import Chunk, chunk_sentences
from ingest.load import load_document
from ingest.sentences import Sentence, split_sentences


def corpus_chunks(name: str, chunk_chars: int, overlap: int):
    document = load_document(CORPUS / name, CORPUS)
    sentences = split_sentences(document.text)
    return document.text, sentences, chunk_sentences(sentences, chunk_chars, overlap)


@pytest.mark.parametrize("name", [OVERVIEW, EVIDENCE])
@pytest.mark.parametrize(("chunk_chars", "overlap"), [(600, 1), (300, 0), (300, 2), (100, 1), (4000, 1)])
def test_offsets_hold_for_every_chunk_of_the_corpus(name, chunk_chars, overlap):
    text, sentences, chunks = corpus_chunks(name, chunk_chars, overlap)
    assert chunks
    covered = set()
    for chunk in chunks:
        piece = text[chunk.start : chunk.end]
        assert piece == chunk.text_in(text)
        assert piece.startswith(text[chunk.sentences[0].start : chunk.sentences[0].end])
        assert piece.endswith(text[chunk.sentences[-1].start : chunk.sentences[-1].end])
        for sentence in chunk.sentences:
            assert chunk.start <= sentence.start < sentence.end <= chunk.end
            assert text[sentence.start : sentence.end] in piece
            covered.add(sentence)
    assert covered == set(sentences)


def test_the_second_document_at_the_default_size():
    text, sentences, chunks = corpus_chunks(EVIDENCE, 600, 1)
    assert [(c.start, c.end) for c in chunks] == [(0, 415), (148, 709), (635, 1041), (912, 1435), (1308, 1864), (1754, 2202)]
    assert [[sentences.index(s) for s in c.sentences] for c in chunks] == [
        [0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8], [8, 9, 10, 11], [11, 12, 13, 14, 15], [15, 16, 17],
    ]


def test_a_heading_moves_to_the_chunk_it_introduces():
    text, sentences, chunks = corpus_chunks(EVIDENCE, 300, 0)
    assert chunks[0].text_in(text) == (
        "Evidence for using ketamine to treat substance use disorders is still evolving but promising. "
        "Key findings by condition:"
    )
    assert chunks[1].text_in(text).startswith("Alcohol Use Disorder (AUD)\nA 2022 Phase 2 trial")
    for chunk in chunks[:-1]:
        assert chunk.sentences[-1].kind != "heading"


def test_overlap_repeats_the_last_sentences():
    text, sentences, chunks = corpus_chunks(EVIDENCE, 300, 2)
    first, second = chunks[1], chunks[2]
    assert first.sentences[-1] == second.sentences[0]
    no_overlap = corpus_chunks(EVIDENCE, 300, 0)[2]
    assert all(a.end < b.start for a, b in zip(no_overlap, no_overlap[1:]))


def spans(*lengths_and_kinds):
    """Sentences laid out one after another with one space between them."""
    out, position = [], 0
    for length, kind in lengths_and_kinds:
        out.append(Sentence(position, position + length, kind))
        position += length + 1
    return out


def test_size_and_overlap_on_synthetic_sentences():
    sentences = spans((40, "text"), (40, "text"), (40, "text"), (40, "text"), (40, "text"))
    chunks = chunk_sentences(sentences, 100, 1)
    assert [[sentences.index(s) for s in c.sentences] for c in chunks] == [[0, 1], [1, 2], [2, 3], [3, 4]]
    chunks = chunk_sentences(sentences, 100, 0)
    assert [[sentences.index(s) for s in c.sentences] for c in chunks] == [[0, 1], [2, 3], [4]]


def test_a_sentence_longer_than_the_chunk_stands_alone():
    sentences = spans((30, "text"), (500, "text"), (30, "text"))
    chunks = chunk_sentences(sentences, 100, 0)
    assert [c.sentences for c in chunks] == [(sentences[0],), (sentences[1],), (sentences[2],)]


def test_headings_are_not_carried_as_overlap():
    sentences = spans((60, "text"), (20, "heading"), (60, "text"), (60, "text"))
    chunks = chunk_sentences(sentences, 100, 1)
    assert [[sentences.index(s) for s in c.sentences] for c in chunks] == [[0], [1, 2], [2, 3]]


def test_an_overlap_never_skips_a_heading_in_the_middle():
    # With overlap 3 the carried sentences would be [text, heading, text]; carrying only the text
    # around the heading would leave a gap, so a chunk's sentences would not cover its span.
    sentences = spans((60, "text"), (60, "text"), (20, "heading"), (60, "text"), (60, "text"))
    chunks = chunk_sentences(sentences, 250, 3)
    assert [[sentences.index(s) for s in c.sentences] for c in chunks] == [[0, 1, 2, 3], [3, 4]]


def test_trivial_inputs():
    assert chunk_sentences([], 600, 1) == []
    only = spans((10, "heading"))
    assert chunk_sentences(only, 600, 1) == [Chunk(tuple(only))]


@pytest.mark.parametrize("seed", range(30))
def test_random_documents_keep_every_sentence_in_order(seed):
    rng = random.Random(seed)
    kinds = ["text"] * 6 + ["heading", "bullet", "reference"]
    sentences = spans(*[(rng.randint(5, 400), rng.choice(kinds)) for _ in range(rng.randint(1, 60))])
    chunk_chars, overlap = rng.choice([100, 300, 600, 1000]), rng.randint(0, 3)
    chunks = chunk_sentences(sentences, chunk_chars, overlap)
    position = {s: i for i, s in enumerate(sentences)}
    seen = set()
    previous_first = -1
    for number, chunk in enumerate(chunks):
        indexes = [position[s] for s in chunk.sentences]
        assert indexes == list(range(indexes[0], indexes[0] + len(indexes)))  # consecutive sentences
        assert indexes[0] > previous_first  # chunks move forward
        previous_first = indexes[0]
        seen.update(indexes)
        if number:
            shared = set(indexes) & {position[s] for s in chunks[number - 1].sentences}
            assert len(shared) <= overlap
        if number < len(chunks) - 1 and chunk.sentences[-1].kind == "heading":
            assert all(s.kind == "heading" for s in chunk.sentences)
    assert seen == set(range(len(sentences)))
