"""bench.same_answers: two suite runs compared case by case, time aside."""

from __future__ import annotations

import json

import pytest

import bench.same_answers as same

ROWS = [
    {"id": "a", "refused": False, "answer": "Yes. [1]", "sources": ["x.txt"], "ms": 120.0},
    {"id": "b", "refused": True, "answer": "", "sources": [], "ms": 90.0},
]


def write(folder, label, rows):
    (folder / f"suite-{label}-golden.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def test_runs_that_differ_only_in_time_are_the_same(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(same, "CACHE", tmp_path)
    write(tmp_path, "before", ROWS)
    write(tmp_path, "after", [dict(row, ms=row["ms"] * 3) for row in ROWS])
    assert same.main(["before", "after", "golden"]) == 0
    assert "golden: 2 cases, 0 differ" in capsys.readouterr().out


def test_a_changed_answer_or_a_missing_case_is_reported_and_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(same, "CACHE", tmp_path)
    write(tmp_path, "before", ROWS)
    write(tmp_path, "after", [dict(ROWS[0], refused=True, answer="")])
    assert same.main(["before", "after", "golden"]) == 1
    out = capsys.readouterr().out
    assert "a: answer, refused" in out and "b: only in the first run" in out


def test_a_run_that_was_never_made_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(same, "CACHE", tmp_path)
    with pytest.raises(SystemExit, match="run `python -m bench.suite golden --label nothing` first"):
        same.main(["nothing", "else", "golden"])
