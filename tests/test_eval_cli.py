"""`python -m qa.eval DATASET.jsonl [--json] [--report DIR] [--index DIR]` and its report.

Most tests run `qa.eval.__main__.main` in-process with a fake `ask`, a dict of stored texts and a
fake scorer; the last runs two cases through the real system on the corpus index.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qa_fixtures import corpus_index  # noqa: F401 - a fixture

from qa import REFUSAL, Answer, Citation
from qa.eval.__main__ import main
from qa.eval.runner import METRICS

TRIAL = "A 2022 trial of 96 people used 0.8 mg/kg over 40 minutes."
STORED = {"trial.txt": "Alcohol Use Disorder\n" + TRIAL + " It helped."}
START = STORED["trial.txt"].index(TRIAL)
CASES = [
    {"id": "dose", "kind": "factual", "turns": ["What dose?"], "answerable": True,
     "must_include": ["0.8 mg/kg"], "must_not_include": ["0.5 mg/kg"], "gold_passages": [TRIAL]},
    {"id": "size-followup", "kind": "followup", "turns": ["Tell me about the trial.", "How many people?"],
     "answerable": True, "must_include": ["96"], "must_not_include": [], "gold_passages": [TRIAL]},
    {"id": "cost", "kind": "unanswerable", "turns": ["What does it cost?"], "answerable": False,
     "must_include": [], "must_not_include": [], "gold_passages": []},
    {"id": "wrong-dose", "kind": "factual", "turns": ["What was the wrong dose?"], "answerable": True,
     "must_include": ["0.8 mg/kg"], "must_not_include": [], "gold_passages": [TRIAL]},
]  # fmt: skip


def quoted(question: str, text: str = TRIAL) -> Answer:
    citation = Citation(n=1, source="trial.txt", title="Trial", quote=TRIAL, start=START, end=START + len(TRIAL),
                        score=5.0, passage_start=0, passage_end=len(STORED["trial.txt"]))  # fmt: skip
    return Answer(question=question, standalone_question=question, answer=f"{text} [1]", refused=False, citations=[citation])


class FakeAsk:
    """Answers from a script; records each call's history."""

    def __init__(self):
        self.calls: list[tuple[str, list]] = []

    def __call__(self, question, history=None, **overrides):
        self.calls.append((question, list(history or [])))
        if "cost" in question:
            return Answer(question=question, standalone_question=question, answer=REFUSAL, refused=True)
        if "wrong" in question:  # a changed dose: unsupported, and must-include misses
            return quoted(question, TRIAL.replace("0.8", "0.5"))
        return quoted(question)


def fake_scorer(pairs):
    return [8.0 for _ in pairs]


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(case) for case in CASES) + "\n", encoding="utf-8")
    return path


def run(argv, capsys, ask=None):
    ask = ask or FakeAsk()
    code = main([str(a) for a in argv], ask=ask, lookup=STORED, scorer=fake_scorer)
    out = capsys.readouterr()
    return code, out.out, out.err, ask


def test_prints_a_per_case_table_and_the_figures(dataset, capsys):
    code, out, _, ask = run([dataset], capsys)
    assert code == 0
    lines = out.splitlines()
    for case in CASES:
        assert any(line.startswith(case["id"]) for line in lines)
    assert next(line for line in lines if line.startswith("wrong-dose")).split()[2] == "FAIL"
    assert next(line for line in lines if line.startswith("dose")).split()[2] == "ok"
    for metric in METRICS:
        assert any(line.strip().startswith(metric) for line in lines)
    assert "4 cases, 3 answered, 3 passed every check" in out
    # The follow-up was asked turn by turn, the first answer fed back as history.
    (first, first_history), (second, second_history) = ask.calls[1], ask.calls[2]
    assert first_history == [] and second == "How many people?"
    assert [turn["role"] for turn in second_history] == ["user", "assistant"]


def test_json_prints_one_object_with_the_metrics_and_the_cases(dataset, capsys):
    code, out, _, _ = run([dataset, "--json"], capsys)
    figures = json.loads(out)
    assert code == 0
    assert set(METRICS) | {"cases", "n_cases", "by_kind"} <= set(figures)
    assert figures["quote_exactness"] == 1.0
    assert figures["citation_recall"] == pytest.approx(2 / 3)  # the changed dose is unsupported
    assert figures["refusal_accuracy"] == 1.0
    assert figures["must_include_recall"] == pytest.approx(2 / 3)
    assert figures["forbidden_rate"] == 0.0
    assert figures["n_cases"] == 4 and [case["id"] for case in figures["cases"]] == [c["id"] for c in CASES]
    wrong = figures["cases"][3]
    assert not wrong["passed"] and wrong["sentences"][0]["supported"] is False
    assert "0.5 mg/kg" in wrong["sentences"][0]["reason"] and wrong["sentences"][0]["score"] is None
    assert figures["by_kind"]["unanswerable"]["refusal_accuracy"] == 1.0


def test_report_writes_markdown_with_a_chart_and_the_failing_cases(dataset, tmp_path, capsys):
    out_dir = tmp_path / "reports"
    code, out, _, _ = run([dataset, "--report", out_dir], capsys)
    assert code == 0 and f"report: {out_dir / 'report.md'}" in out
    report = (out_dir / "report.md").read_text(encoding="utf-8")
    chart = out_dir / "metrics_by_kind.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    assert "![metrics per case kind](metrics_by_kind.png)" in report
    assert "## Failing cases (1)" in report and "### `wrong-dose`" in report
    failing = report.split("### `wrong-dose`")[1]
    assert "not in the cited passages: '0.5 mg/kg'" in failing  # the reason
    assert TRIAL.replace("0.8", "0.5") in failing  # the answer
    assert f"“{TRIAL}”" in failing and "`trial.txt`" in failing  # the cited quote and its source
    assert "| citation_recall | 0.667 | ≥ 0.95 — **misses** |" in report


@pytest.mark.parametrize("content", ["not json\n", '{"id": "x"}\n', ""])
def test_a_bad_data_set_exits_with_2(tmp_path, capsys, content):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    code, out, err, _ = run([path], capsys)
    assert code == 2 and out == "" and err.startswith("error:")
    code, _, err, _ = run([tmp_path / "missing.jsonl"], capsys)
    assert code == 2 and "error:" in err


def test_the_real_system_end_to_end(corpus_index, tmp_path, capsys):  # noqa: F811
    """Default ask, lookup and scorer: two golden-style cases on the corpus index."""
    path = tmp_path / "two.jsonl"
    dose = {**CASES[0], "turns": ["What ketamine dose was used in the 2022 alcohol trial?"]}
    path.write_text(json.dumps(CASES[2]) + "\n" + json.dumps(dose) + "\n", encoding="utf-8")
    code = main([str(path), "--json", "--index", str(corpus_index)])
    figures = json.loads(capsys.readouterr().out)
    assert code == 0 and figures["n_cases"] == 2
    assert figures["quote_exactness"] == 1.0 and figures["citation_recall"] == 1.0
    assert figures["cases"][1]["must_include_recall"] == 1.0


def test_the_dev_set_case_format_is_read_and_scored_by_its_rules(tmp_path: Path, capsys):
    """`../shared/data/dev/README.md`: the last turn is asked with the case's own history; hit,
    doc_hit, refusal_ok, balanced and the median answer length are reported."""
    rows = [
        {"id": "d1", "kind": "coqa", "turns": ["Who ran it?", "How many people?"],
         "history": [{"role": "user", "content": "Who ran it?"}, {"role": "assistant", "content": "Grabski"}],
         "answerable": True, "answers": ["ninety-six", "96 people"], "gold_doc": ["trial.txt"], "gold_text": [TRIAL]},
        {"id": "d2", "kind": "squad2", "turns": ["What does it cost?"], "history": [], "answerable": False,
         "answers": [], "gold_doc": [], "gold_text": []},
        {"id": "d3", "kind": "squad2", "turns": ["What was the wrong dose?"], "history": [], "answerable": True,
         "answers": ["1.5 mg/kg"], "gold_doc": ["other.txt"], "gold_text": []},
    ]  # fmt: skip
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    ask = FakeAsk()
    assert main([str(path), "--json"], ask=ask, lookup=STORED, scorer=fake_scorer) == 0
    figures = json.loads(capsys.readouterr().out)
    assert ask.calls[0] == ("How many people?", rows[0]["history"])  # asked once, with its history
    assert figures["hit"] == 0.5 and figures["doc_hit"] == 0.5 and figures["refusal_ok"] == 1.0
    assert figures["balanced"] == 0.75 and figures["false_refusal"] == 0.0
    assert figures["median_answer_chars"] == len(f"{TRIAL} [1]")
    cases = {case["id"]: case for case in figures["cases"]}
    assert cases["d1"]["hit"] is True and cases["d3"]["hit"] is False and cases["d2"]["hit"] is None
    assert main([str(path)], ask=FakeAsk(), lookup=STORED, scorer=fake_scorer) == 0
    assert "balanced" in capsys.readouterr().out
