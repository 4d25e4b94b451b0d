"""bench.latency's report (logic only: made-up timings, no process is started)."""

from __future__ import annotations

from bench.latency import STEPS, percentile, report


def _found(total: float) -> dict:
    steps = {key: [total / len(STEPS)] * 4 for key in STEPS}
    alone = {**steps, "total_ms": [total, total + 10, total - 10, total]}
    follow = {**steps, "total_ms": [total + 20] * 4}
    return {"alone": alone, "follow-up": follow, "added": {key: [20.0] * 4 for key in (*STEPS, "total_ms")}}


def test_the_report_sets_the_checkouts_side_by_side():
    cold = {name: {"cli_s": seconds, "cli_runs": [seconds], "app_s": 2 * seconds,
                   "first_answer": {"load_ms": 800.0, "total_ms": 1100.0}} for name, seconds in (("this", 2.0), ("against", 7.5))}
    lines = report({"this": _found(140.0), "against": _found(230.0)}, cold, [("a model call", 4.4)], 61, 0.5, "abc1234")
    text = "\n".join(lines)
    assert "(commit abc1234)" in text
    assert "| this | 2.00 s | 4.0 s | 800 | 0 | 0 | 0 | 0 | 0 | 1100 |" in text  # the first answer's steps, load apart
    assert "| against | 7.50 s | 15.0 s | 800 |" in text
    assert "| total | 140 | 150 | 160 | 160 | +20 | 230 | 240 | 250 | 250 | +20 |" in text
    assert "this: p50 | this: p95 |" in text and "against: p50 |" in text
    assert "p50 this / against: 0.61." in text
    assert "a model call 4.4 ms." in text


def test_one_checkout_alone_has_no_side_by_side():
    cold = {"this": {"cli_s": 2.0, "cli_runs": [2.0], "app_s": 4.0, "first_answer": {}}}
    text = "\n".join(report({"this": _found(140.0)}, cold, [], 61, 0.5))
    assert "against" not in text.split("Goals:")[0]


def test_percentile_reads_the_sorted_values():
    assert percentile([5.0, 1.0, 3.0], 0.5) == 3.0 and percentile([5.0, 1.0, 3.0], 0.95) == 5.0
