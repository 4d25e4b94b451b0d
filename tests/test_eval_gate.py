"""The faithfulness gate: the golden set through the real system and models, scored by `qa.eval`.

Bars (issue 4): every quote is the exact stored span (quote_exactness = 1.0), answer sentences are
backed by the passages they cite (citation_recall >= 0.95, the support check as the judge), and
the system refuses exactly the unanswerable cases (refusal_accuracy >= 0.90).

The golden run is shared: `golden` (module scope here) caches its result at module level, keyed
by the index folder, and test_eval_mutation imports it (`from test_eval_gate import golden`), so
the set is answered and judged once per session. The index is qa_fixtures' `corpus_index` (a copy
of corpus/ indexed in a temporary folder, built once per session).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from qa.eval.cases import load_cases
from qa.eval.citations import MemoScorer
from qa.eval.runner import CaseResult, run_dataset, summarise
from qa.eval.support import default_scorer, passage_sentences, strip_citation_markers
from qa_fixtures import corpus_index  # noqa: F401 - a fixture

pytestmark = pytest.mark.slow  # the real models on the whole golden set

GOLDEN = Path(__file__).parent / "data" / "golden.jsonl"
PAIRS = Path(__file__).parent / "data" / "support_pairs.jsonl"


@dataclass
class GoldenRun:
    results: list[CaseResult]
    summary: dict
    lookup: object  # source -> stored text
    scorer: MemoScorer  # every (sentence, passage) pair the gate scored, with its score
    sources: list[str]
    seconds: float


_RUNS: dict[str, GoldenRun] = {}


def run_golden(index_dir: Path) -> GoldenRun:
    """Answer and judge the golden set on `index_dir` (once per process and index)."""
    key = str(Path(index_dir).resolve())
    if key not in _RUNS:
        from qa import ask
        from qa.search.index import get_index
        from qa.settings import Settings

        index = get_index(Settings(index=index_dir))

        def lookup(source: str) -> str | None:
            document = index.document(source)
            return document["text"] if document else None

        scorer = MemoScorer(default_scorer())
        began = time.perf_counter()
        results = run_dataset(load_cases(GOLDEN), ask, lookup, scorer=scorer, index=index_dir)
        sources = sorted({chunk.source for chunk in index.chunks})
        _RUNS[key] = GoldenRun(results, summarise(results), lookup, scorer, sources, time.perf_counter() - began)
    return _RUNS[key]


@pytest.fixture(scope="module")
def golden(corpus_index):  # noqa: F811 - the imported fixture
    run = run_golden(corpus_index)
    figures = {key: (round(value, 3) if isinstance(value, float) else value) for key, value in run.summary.items()}
    print(f"\ngolden set ({run.seconds:.0f} s): {figures}")
    return run


def _failures(run: GoldenRun, keep) -> str:
    return "\n".join(f"{r.case.id}: {'; '.join(r.failures)}" for r in run.results if keep(r))


def test_every_quote_is_the_exact_stored_span(golden):
    assert golden.summary["n_quotes"] > 40
    assert golden.summary["quote_exactness"] == 1.0, _failures(golden, lambda r: r.exact_quotes < r.quotes)


def test_citation_recall_meets_the_bar(golden):
    assert golden.summary["n_sentences"] > 40
    assert golden.summary["citation_recall"] >= 0.95, _failures(golden, lambda r: (r.citation_recall or 1.0) < 1.0)


# Measured 0.984 (60/61: one answerable question refused). Do not lower the bar.
def test_refusal_accuracy_meets_the_bar(golden):
    assert golden.summary["refusal_accuracy"] >= 0.90, _failures(golden, lambda r: not r.refusal_correct)


def test_the_gate_scores_answers_against_the_index_not_the_calibration_pairs(golden):
    """The judge was fitted on other labels (support_pairs.jsonl among them); the gate must judge
    the answers' own sentences against the sentences of the passages they cite."""
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    calibration = {(strip_citation_markers(r["claim"]), strip_citation_markers(r["passage"])) for r in rows}
    scored = set(golden.scorer.scored)
    assert len(scored) >= 10
    # A quoted sentence read against itself may also be a labelled pair; nothing else may.
    assert not {(claim, evidence) for claim, evidence in scored & calibration if claim != evidence}
    stored = "\n".join(golden.lookup(source) for source in golden.sources)
    # The judge reads the best sentences of the cited passages (joined when it reads several).
    folded = strip_citation_markers(stored)
    for _, evidence in scored:
        assert all(strip_citation_markers(sentence) in folded for sentence in passage_sentences([evidence])), evidence
