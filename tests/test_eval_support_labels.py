"""The support check against the project's own labelled pairs (`tests/data/support_pairs.jsonl`), with the real cross-encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.eval.support import sentence_support

PAIRS = Path(__file__).parent / "data" / "support_pairs.jsonl"


# -- calibration (real cross-encoder) ----------------------------------------------------------------


def test_the_labelled_pairs_are_well_formed():
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 60 and len({row["id"] for row in rows}) == len(rows)
    assert {row["label"] for row in rows} == {"supported", "contradicted", "unrelated"}
    assert {row["split"] for row in rows} == {"calibrate", "holdout"}
    for split in ("calibrate", "holdout"):
        assert {row["label"] for row in rows if row["split"] == split} == {"supported", "contradicted", "unrelated"}


@pytest.fixture(scope="module")
def project_verdicts():
    from qa.eval.support import default_scorer

    scorer = default_scorer()
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row, sentence_support(row["claim"], [row["passage"]], scorer=scorer)) for row in rows]


def test_the_real_judge_agrees_with_the_project_labels(project_verdicts):
    for split in ("calibrate", "holdout"):
        group = [(row, v) for row, v in project_verdicts if row["split"] == split]
        right = sum(v.supported == (row["label"] == "supported") for row, v in group)
        print(f"\nproject pairs, {split}: {right}/{len(group)}")
        assert right / len(group) >= 0.85
    unrelated = [row["id"] for row, v in project_verdicts if row["label"] == "unrelated" and v.supported]
    assert unrelated == []
    calibrate_supported = [row["id"] for row, v in project_verdicts if row["split"] == "calibrate" and row["label"] == "supported" and not v.supported]
    assert calibrate_supported == []
