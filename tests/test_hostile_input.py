"""Hostile and odd input through `ask()` with the real models: each one gets a clear ValueError,
a refusal or a grounded answer — never another exception — and the index is never changed.
The inputs and the outcomes allowed are tests/data/hostile_inputs.jsonl (RELIABILITY.md shows
what happened to each: `python -m bench.reliability.hostile`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from qa import ask
from qa.eval.hostile import load_inputs, outcome
from qa.search.index import get_index
from qa.settings import Settings
from qa_fixtures import corpus_index  # noqa: F401 - a fixture

INPUTS = load_inputs(Path(__file__).parent / "data" / "hostile_inputs.jsonl")


def fingerprint(index_dir: Path) -> tuple:
    """The manifest's bytes and every stored chunk: what a changed index would change."""
    manifest = hashlib.sha256((Path(index_dir) / "manifest.json").read_bytes()).hexdigest()
    chunks = get_index(Settings(index=index_dir)).store.all_chunks()
    return manifest, sorted((chunk.id, chunk.text) for chunk in chunks)


@pytest.fixture(scope="module")
def before(corpus_index):  # noqa: F811
    return fingerprint(corpus_index)


@pytest.mark.parametrize("item", INPUTS, ids=[item.name for item in INPUTS])
def test_each_input_gets_an_allowed_outcome(item, corpus_index):  # noqa: F811
    result = outcome(item.text, ask, index=corpus_index)
    assert result.kind in item.expect, (item.name, result)
    if result.kind == "error":
        assert result.detail and "\n" not in result.detail


def test_the_index_is_unchanged_after_every_input(before, corpus_index):  # noqa: F811
    for item in INPUTS:
        outcome(item.text, ask, index=corpus_index)
    assert fingerprint(corpus_index) == before


def test_the_table_covers_what_the_hardening_issue_lists():
    names = " ".join(item.name for item in INPUTS).lower()
    for topic in ("empty", "whitespace", "200,000", "control", "right-to-left", "emoji", "non-english", "sql", "shell", "html", "markdown", "system prompt", "ignore", "dosing"):
        assert topic in names, topic
