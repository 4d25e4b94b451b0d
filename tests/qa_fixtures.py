"""Shared helpers for the `qa` tests: the project's corpus indexed once per test session.

`corpus_index` (session scope) is the folder of an index built from a private copy of `corpus/`
with the real embedder and the default chunking. Test modules import the fixture with
`from qa_fixtures import corpus_index`; pytest registers an imported fixture once per module, so the
build itself is cached here, at module level, and runs once per session whatever the number of
modules using it. `assert_verbatim` (with `assert_numbering`) and `assert_refusal` are the checks every answer must pass.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS
from qa.text.markers import shown

DOSE_QUESTION = "What dose of ketamine was used in the alcohol trial?"
DOSE_QUOTE = "0.8 mg/kg over 40 minutes"
DAKWAR_SENTENCE = (
    "In a randomized clinical trial (Dakwar et al., Am J Psychiatry. 2019;176(11):923-930), a single ketamine "
    "infusion plus mindfulness-based therapy led to significantly more abstinence and lower relapse risk compared "
    "to a control."
)

_BUILT: dict[str, Path] = {}


def build_corpus_index(base: Path) -> Path:
    """Index a copy of the corpus under `base` (once per process) and return the index folder."""
    if "index" not in _BUILT:
        from ingest.pipeline import run_ingest
        from ingest.settings import IngestSettings

        corpus = base / "corpus"
        shutil.copytree(CORPUS, corpus)
        index = base / "idx"
        report = run_ingest([corpus], IngestSettings(index=index), progress=False)
        assert report.files == 2 and report.chunks > 0 and report.skipped == []
        _BUILT["index"] = index
    return _BUILT["index"]


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """Folder of an index of the two corpus documents (built once per session)."""
    if "index" in _BUILT:
        return _BUILT["index"]
    return build_corpus_index(tmp_path_factory.mktemp("qa_corpus"))


@pytest.fixture(scope="session")
def loaded_index(corpus_index):
    """The `LoadedIndex` of `corpus_index`, as `ask()` sees it."""
    from qa.search.index import get_index
    from qa.settings import Settings

    return get_index(Settings(index=corpus_index))


def assert_verbatim(answer, index_dir) -> None:
    """Every quote of `answer` is the stored text at its offsets, inside its passage, and is in
    the answer text with its marker."""
    from qa.search.index import get_index
    from qa.settings import Settings

    index = get_index(Settings(index=index_dir))
    for citation in answer.citations:
        text = index.document(citation.source)["text"]
        assert text[citation.start : citation.end] == citation.quote
        assert citation.passage_start <= citation.start < citation.end <= citation.passage_end
        assert f"{shown(citation.quote)} [{citation.n}]" in answer.answer
    assert_numbering(answer.answer, [citation.to_dict() for citation in answer.citations])


def assert_numbering(text: str, citations: list[dict]) -> None:
    """The answer text shows no bracket number that is not one of its citations, and no two
    different quoted spans share a number (the document's own markers read `(ref. n)`)."""
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    assert numbers <= {int(c["n"]) for c in citations}, (text, [c["n"] for c in citations])
    spans: dict[int, tuple] = {}
    for citation in citations:
        span = (citation["source"], citation["start"], citation["end"])
        assert spans.setdefault(int(citation["n"]), span) == span, citation


def assert_refusal(answer) -> None:
    """`answer` is the constant refusal, with no sources."""
    from qa import REFUSAL

    assert answer.refused is True
    assert answer.answer == REFUSAL
    assert answer.citations == []
