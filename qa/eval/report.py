"""Write an evaluation as a Markdown report with a PNG chart, readable at a glance.

What it does: `write_report(results, out_dir, dataset=...)` writes `report.md` and
`metrics_by_kind.png` into `out_dir`: the data-set figures against the project's bars, a chart of
every metric per case kind (left: a grid of the values, green is good, forbidden_rate read the
other way; right: cases passed and failed per kind), the same figures as a table, and every failing
case with its question, its answer, the quotes it cites (source and span) and the reason it fails.
`plot_metrics_by_kind(per_kind, counts, path)` draws the chart alone (matplotlib, Agg back end: no
display needed).
What it does not: run the system or compute metrics (see `runner`).
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from qa.eval.runner import LOWER_IS_BETTER, METRICS, CaseResult, by_kind, summarise

CHART_NAME = "metrics_by_kind.png"
# The project's quality bars: issue 4 (quote_exactness, citation_recall, refusal_accuracy, what the
# gate test asserts), issue 3 (must_include_recall) and tests/test_golden.py (no forbidden text).
BARS = {
    "quote_exactness": ("= 1.0", lambda v: v == 1.0),
    "citation_recall": ("≥ 0.95", lambda v: v >= 0.95),
    "must_include_recall": ("≥ 0.90", lambda v: v >= 0.90),
    "refusal_accuracy": ("≥ 0.90", lambda v: v >= 0.90),
    "forbidden_rate": ("= 0", lambda v: v == 0.0),
}
# Colour bands of the chart, on "goodness" (the value; for forbidden_rate, 1 - 10 x the rate, so
# one case in ten with forbidden text is already red).
BANDS = (0.0, 0.6, 0.8, 0.9, 0.95, 1.0001)
BAND_COLOURS = ("#d7301f", "#fc8d59", "#fee08b", "#a6d96a", "#1a9850")
BAND_LABELS = ("< 0.60", "0.60–0.80", "0.80–0.90", "0.90–0.95", "≥ 0.95")


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.3f}"


def plot_metrics_by_kind(per_kind: dict[str, dict], counts: dict[str, tuple[int, int]], path: Path) -> Path:
    """Draw the metrics of each case kind (plus "all") and the passed/failed cases per kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    kinds = list(per_kind)
    cmap, norm = ListedColormap(BAND_COLOURS), BoundaryNorm(BANDS, len(BAND_COLOURS))
    grid = np.full((len(kinds), len(METRICS)), np.nan)
    for row, kind in enumerate(kinds):
        for column, metric in enumerate(METRICS):
            value = per_kind[kind].get(metric)
            if value is not None:
                grid[row, column] = max(0.0, 1.0 - 10.0 * value) if metric in LOWER_IS_BETTER else value
    figure, (heat, bars) = plt.subplots(
        1, 2, figsize=(13, 0.62 * len(kinds) + 3.0), gridspec_kw={"width_ratios": [3.2, 1.3]}
    )
    heat.imshow(np.ma.masked_invalid(grid), cmap=cmap, norm=norm, aspect="auto")
    for row, kind in enumerate(kinds):
        for column, metric in enumerate(METRICS):
            value = per_kind[kind].get(metric)
            if value is None:
                heat.add_patch(plt.Rectangle((column - 0.5, row - 0.5), 1, 1, color="#eeeeee"))
            heat.text(column, row, _fmt(value), ha="center", va="center", fontsize=10,
                      color="#888888" if value is None else "black",
                      fontweight="bold" if kind == "all" else "normal")  # fmt: skip
    labels = [m.replace("_", "\n") + ("\n(lower is better)" if m in LOWER_IS_BETTER else "") for m in METRICS]
    bands = [Patch(color=colour, label=label) for colour, label in zip(BAND_COLOURS, BAND_LABELS)]
    bands.append(Patch(color="#eeeeee", label="n/a"))
    heat.legend(handles=bands, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=6, fontsize=8, frameon=False,
                title="colour: the value (forbidden_rate: 1 − 10 × rate)", title_fontsize=8)  # fmt: skip
    heat.set_xticks(range(len(METRICS)), labels, fontsize=8.5)
    heat.xaxis.tick_top()
    heat.set_yticks(range(len(kinds)), [f"{k} ({sum(counts[k])})" for k in kinds], fontsize=10)
    heat.set_xticks(np.arange(-0.5, len(METRICS)), minor=True)
    heat.set_yticks(np.arange(-0.5, len(kinds)), minor=True)
    heat.grid(which="minor", color="white", linewidth=2)
    heat.tick_params(which="minor", length=0)
    if "all" in kinds:
        heat.axhline(kinds.index("all") - 0.5, color="black", linewidth=1.5)
    heat.set_title("Metrics per case kind (n cases)", fontsize=11, pad=48)

    passed = [counts[k][0] for k in kinds]
    failed = [counts[k][1] for k in kinds]
    y = np.arange(len(kinds))
    bars.barh(y, passed, color="#1a9850", label="passed")
    bars.barh(y, failed, left=passed, color="#d7301f", label="failed")
    for row in range(len(kinds)):
        bars.text(passed[row] + failed[row] + 0.3, row, f"{passed[row]}/{passed[row] + failed[row]}", va="center", fontsize=9)
    bars.set_yticks(y, [""] * len(kinds))
    bars.set_ylim(len(kinds) - 0.5, -0.5)
    bars.set_xlim(0, max(p + f for p, f in zip(passed, failed)) * 1.25 + 1)
    bars.set_title("Cases passed (every check)", fontsize=10, pad=48)
    bars.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=2, fontsize=8, frameon=False)
    bars.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _quote_block(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.split("\n"))


def _case_section(result: CaseResult) -> list[str]:
    data = result.to_dict()
    expected = "an answer" if data["answerable"] else "a refusal"
    lines = [f"### `{data['id']}` ({data['kind']}; expected {expected})", ""]
    for number, turn in enumerate(data["turns"], 1):
        lines.append(f"- turn {number}: {turn}")
    if len(data["turns"]) > 1:
        lines.append(f"- standalone question: {data['standalone_question']}")
    lines += ["", "**Why it fails:**", ""]
    lines += [f"- {reason}" for reason in data["failures"]]
    lines += ["", "**Answer" + (" (refused)" if data["refused"] else "") + ":**", "", _quote_block(data["answer"]), ""]
    if data["citations"]:
        lines += ["**Cited quotes:**", ""]
        for citation in data["citations"]:
            where = f"`{citation['source']}` {citation['start']}–{citation['end']}"
            lines.append(f"- [{citation['n']}] {where}: “{citation['quote']}”")
        lines.append("")
    if data["sentences"]:
        lines += ["**Support check per sentence:**", "", "| sentence | cites | supported | reason |", "|---|---|---|---|"]
        for sentence in data["sentences"]:
            text = sentence["text"].replace("|", "\\|")
            text = text if len(text) <= 90 else text[:87] + "..."
            cites = "".join(f"[{n}]" for n in sentence["cited"]) or "none"
            lines.append(f"| {text} | {cites} | {'yes' if sentence['supported'] else '**no**'} | {sentence['reason']} |")
        lines.append("")
    return lines


def write_report(results: list[CaseResult], out_dir: Path, dataset: str = "", settings_note: str = "") -> Path:
    """Write `report.md` and the chart into `out_dir` (created if needed); return the report path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = summarise(results)
    per_kind = by_kind(results)
    per_kind["all"] = summary
    counts = {kind: (0, 0) for kind in per_kind}
    for result in results:
        for kind in (result.case.kind, "all"):
            passed, failed = counts[kind]
            counts[kind] = (passed + result.passed, failed + (not result.passed))
    plot_metrics_by_kind(per_kind, counts, out_dir / CHART_NAME)

    lines = [
        "# Faithfulness evaluation",
        "",
        f"Data set: `{dataset}` — {summary['n_cases']} cases, {summary['n_answered']} answered, "
        f"{summary['n_passed']} passed every check. {time.strftime('%Y-%m-%d %H:%M')}. {settings_note}".rstrip(),
        "",
        "Judge: the **support check** (`qa.eval.support`), not an entailment model: a sentence is supported "
        "when every number, unit, year, name and direction word of it is in one sentence of a passage it "
        "cites and the cross-encoder scores (sentence, passage) at or above the calibrated threshold.",
        "",
        "| metric | value | bar |",
        "|---|---:|---|",
    ]
    for metric in METRICS:
        value = summary[metric]
        bar, meets = BARS.get(metric, ("", None))
        verdict = "" if not bar else (f"{bar} — {'meets' if value is not None and meets(value) else '**misses**'}")
        note = " (lower is better)" if metric in LOWER_IS_BETTER else ""
        lines.append(f"| {metric}{note} | {_fmt(value)} | {verdict} |")
    lines += ["", f"![metrics per case kind]({CHART_NAME})", "", "## Per case kind", ""]
    lines.append("| kind | cases | passed | " + " | ".join(METRICS) + " |")
    lines.append("|---|---:|---:|" + "---:|" * len(METRICS))
    for kind, figures in per_kind.items():
        passed, failed = counts[kind]
        cells = " | ".join(_fmt(figures[m]) for m in METRICS)
        lines.append(f"| {kind} | {passed + failed} | {passed} | {cells} |")
    failing = [result for result in results if not result.passed]
    lines += ["", f"## Failing cases ({len(failing)})", ""]
    if not failing:
        lines.append("None: every case passed every check.")
    for result in failing:
        lines += _case_section(result)
    path = out_dir / "report.md"
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path
