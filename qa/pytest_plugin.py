"""pytest plugin: check the faithfulness of answers in your own tests (registered as `quoteqa`).

Installing quoteqa registers it (entry point `pytest11`); nothing to import in a conftest. It gives:

- `assert_supported(answer, passages=None, *, lookup=None, threshold=None, min_share=1.0)`: fails
  with a readable message (each unsupported sentence, the key terms missing from the passages, the
  words the best evidence lacks, the support and relevance scores) unless at least `min_share` of
  the answer's sentences pass the support check. `answer` is an `Answer` of this project (its
  citations give the passages) or the text of any RAG system's answer with the `passages` it was
  given (a list: "[n]" points at passages[n-1]; sentences without a marker are checked against
  them all). Importable as `from qa.pytest_plugin import assert_supported`, or from the
  `assert_supported` fixture.
- `score_answer(...)`: the same answer scored into the metrics `qa.eval` reports (faithfulness,
  citation recall and precision, quote exactness) - see `qa.eval.faithfulness`.
- fixtures: `quoteqa_corpus` (the folder to index: the `quoteqa_corpus` ini option, default
  "corpus"; override the fixture to point elsewhere) and `quoteqa_ask`, `ask` bound to a
  temporary index of that folder (built once per session and folder).
- the marker `faithfulness`, so `pytest -m faithfulness` selects these tests.
What it does not: load any model at import (pytest starts fast; the cross-encoder loads on the
first check) or decide what a good answer is beyond being supported by its passages.
"""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import pytest

_INDEXES: dict[Path, Path] = {}


def score_answer(answer, passages=None, *, lookup=None, scorer=None, threshold=None):
    """See `qa.eval.faithfulness.score_answer`."""
    from qa.eval.faithfulness import score_answer as score

    return score(answer, passages, lookup=lookup, scorer=scorer, threshold=threshold)


def _explain(verdict) -> str:
    result = verdict.result
    lines = [f"- {textwrap.shorten(verdict.text, 160, placeholder=' ...')!r}" + (f" (cites {list(verdict.cited)})" if verdict.cited else "")]
    if result.missing:
        lines.append(f"    missing from the passages: {', '.join(result.missing)}")
    if result.novel and not result.missing:
        lines.append(f"    words the best evidence lacks: {', '.join(result.novel[:10])}")
    if result.evidence:
        lines.append(f"    best evidence: {textwrap.shorten(result.evidence, 160, placeholder=' ...')!r}")
    lines.append(f"    {result.reason}")
    return "\n".join(lines)


def assert_supported(answer, passages=None, *, lookup=None, threshold=None, min_share: float = 1.0, scorer=None):
    """Fail unless at least `min_share` of the answer's sentences are supported; return the
    `FaithfulnessScore` otherwise (see the module docstring)."""
    __tracebackhide__ = True
    score = score_answer(answer, passages, lookup=lookup, scorer=scorer, threshold=threshold)
    if not score.sentences:
        pytest.fail("assert_supported: the answer has no sentence to check (empty or refused)")
    if score.faithfulness < min_share:
        bad = score.unsupported
        head = (
            f"{len(bad)} of {len(score.sentences)} answer sentences not supported by their passages "
            f"(faithfulness {score.faithfulness:.2f} < {min_share:.2f}):"
        )
        pytest.fail("\n".join([head, *(_explain(v) for v in bad)]), pytrace=False)
    return score


def pytest_addoption(parser):
    parser.addini("quoteqa_corpus", "folder of documents the quoteqa_ask fixture indexes", default="corpus")


def pytest_configure(config):
    config.addinivalue_line("markers", "faithfulness: checks answers against their passages with the quoteqa support check")


@pytest.fixture(name="assert_supported")
def assert_supported_fixture():
    """`assert_supported` as a fixture, for tests that prefer not to import it."""
    return assert_supported


@pytest.fixture
def quoteqa_corpus(request) -> Path:
    """The folder `quoteqa_ask` indexes (ini option `quoteqa_corpus`, relative to the rootdir)."""
    return Path(request.config.rootpath) / request.config.getini("quoteqa_corpus")


@pytest.fixture
def quoteqa_ask(quoteqa_corpus, tmp_path_factory):
    """`ask(question, history=None, **settings)` answering from a temporary index of
    `quoteqa_corpus` (built on first use, once per folder and session)."""
    folder = Path(quoteqa_corpus).resolve()
    if not folder.is_dir():
        pytest.fail(f"quoteqa_ask: no folder {folder} to index (set the quoteqa_corpus ini option or fixture)")
    if folder not in _INDEXES:
        from ingest.pipeline import run_ingest
        from ingest.settings import IngestSettings

        index = tmp_path_factory.mktemp("quoteqa-index") / "idx"
        run_ingest([folder], IngestSettings(index=index), progress=False)
        _INDEXES[folder] = index
    from qa import ask

    return functools.partial(ask, index=_INDEXES[folder])
