"""Score a question set: every case's answer through every metric, then the aggregates.

What it does: `evaluate_answer(case, answer, lookup)` scores one answer (`Answer.to_dict()`) with
the metrics of `metrics` and `citations` into a `CaseResult` that also says why the case fails;
`run_dataset(cases, ask, lookup)` asks every case (multi-turn cases turn by turn, `cases.run_case`)
and scores it; `summarise(results)` gives the data-set figures and `by_kind(results)` the same per
case kind.

How the per-case values become data-set figures:
- quote_exactness: exact quotes / all quotes, over every citation of every answer (micro);
- citation_recall, citation_precision: the mean of the per-answer values over answered cases
  (as ALCE averages per answer; a refusal has neither);
- must_include_recall: the mean over answerable cases that list facts (a refusal scores 0);
- refusal_accuracy: over all cases (refused exactly when unanswerable);
- forbidden_rate: over the cases that list forbidden strings (lower is better).
- for cases in the dev sets' format: hit, doc_hit, refusal_ok, false_refusal, balanced and the
  median answer length, by the rules of `../shared/data/dev/README.md`.
What it does not: print or draw (see `__main__` and `report`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from qa.eval.cases import Case, run_case
from qa.eval.citations import Lookup, MemoScorer, StatementVerdict, judge_answer, stored_text
from qa.eval.metrics import answer_hit, doc_hit, forbidden_hits, must_include_hits, quote_is_exact
from qa.eval.support import Scorer, default_scorer

METRICS = (
    "quote_exactness",
    "citation_recall",
    "citation_precision",
    "must_include_recall",
    "refusal_accuracy",
    "forbidden_rate",
)
LOWER_IS_BETTER = {"forbidden_rate"}


@dataclass
class CaseResult:
    """One case, its answer and its scores; `failures` says in words what went wrong."""

    case: Case
    answer: dict
    exact_quotes: int
    quotes: int
    citation_recall: float | None
    citation_precision: float | None
    must_include_recall: float | None
    missing_facts: list[str]
    forbidden: list[str]
    statements: list[StatementVerdict] = field(default_factory=list)
    hit: bool | None = None  # dev-format cases: the answer holds a gold answer (and was not refused)
    doc_hit: bool | None = None  # dev-format cases: a citation is a gold document

    @property
    def refused(self) -> bool:
        return bool(self.answer.get("refused"))

    @property
    def refusal_correct(self) -> bool:
        return self.refused == (not self.case.answerable)

    @property
    def quote_exactness(self) -> float | None:
        return self.exact_quotes / self.quotes if self.quotes else None

    @property
    def failures(self) -> list[str]:
        reasons = []
        if self.hit is False and not self.refused:
            reasons.append("no gold answer in the answer")
        if not self.refusal_correct:
            reasons.append("refused an answerable question" if self.refused else "answered an unanswerable question")
        if self.missing_facts and not self.refused:
            reasons.append("missing expected facts: " + ", ".join(f"'{fact}'" for fact in self.missing_facts))
        if self.forbidden:
            reasons.append("contains forbidden text: " + ", ".join(f"'{item}'" for item in self.forbidden))
        if self.quotes and self.exact_quotes < self.quotes:
            reasons.append(f"{self.quotes - self.exact_quotes} of {self.quotes} quotes are not the stored span")
        for statement in self.statements:
            if not statement.support.supported:
                cited = "".join(f"[{n}]" for n in statement.cited) or "uncited"
                reasons.append(f"unsupported sentence {cited}: {statement.support.reason}")
            imprecise = [n for n, ok in statement.precise.items() if not ok]
            if statement.support.supported and imprecise:
                reasons.append(f"imprecise citation(s) {imprecise}: not needed to support the sentence")
        return reasons

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        return _finite(
            {
                "id": self.case.id,
                "kind": self.case.kind,
                "answerable": self.case.answerable,
                "turns": list(self.case.turns),
                "refused": self.refused,
                "passed": self.passed,
                "failures": self.failures,
                "quote_exactness": self.quote_exactness,
                "citation_recall": self.citation_recall,
                "citation_precision": self.citation_precision,
                "must_include_recall": self.must_include_recall,
                "refusal_correct": self.refusal_correct,
                "forbidden": self.forbidden,
                "hit": self.hit,
                "doc_hit": self.doc_hit,
                "answer": self.answer.get("answer", ""),
                "standalone_question": self.answer.get("standalone_question", ""),
                "citations": [
                    {key: c.get(key) for key in ("n", "source", "quote", "start", "end", "passage_start", "passage_end")}
                    for c in self.answer.get("citations") or []
                ],
                "sentences": [
                    {
                        "text": s.text,
                        "cited": list(s.cited),
                        "supported": s.support.supported,
                        "reason": s.support.reason,
                        "score": s.support.score,
                        "missing": s.support.missing,
                        "precise": {str(n): ok for n, ok in s.precise.items()},
                    }
                    for s in self.statements
                ],
            }
        )


def _finite(value):
    """JSON has no NaN or infinity: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def evaluate_answer(case: Case, answer: dict, lookup: Lookup, scorer: Scorer | None = None) -> CaseResult:
    """Score one answer (`Answer.to_dict()`) of `case`; `lookup(source)` gives stored text."""
    citations = answer.get("citations") or []
    exact = sum(quote_is_exact(c, stored_text(lookup, c["source"])) for c in citations)
    verdict = judge_answer(answer, lookup, scorer) if not answer.get("refused") else None
    text = answer.get("answer") or ""
    facts = list(case.must_include) if case.answerable else []
    hits = must_include_hits(text, facts)
    return CaseResult(
        case=case,
        answer=answer,
        exact_quotes=exact,
        quotes=len(citations),
        citation_recall=verdict.recall if verdict else None,
        citation_precision=verdict.precision if verdict else None,
        must_include_recall=(len(hits) / len(facts)) if facts else None,
        missing_facts=[fact for fact in facts if fact not in hits],
        forbidden=forbidden_hits(text, case.must_not_include),
        statements=verdict.statements if verdict else [],
        hit=(not answer.get("refused") and answer_hit(text, case.answers, case.gold_passages)) if case.dev_format and case.answerable else None,
        doc_hit=doc_hit(citations, case.gold_doc) if case.dev_format and case.answerable else None,
    )


def run_dataset(
    cases: list[Case],
    ask: Callable,
    lookup: Lookup,
    scorer: Scorer | None = None,
    progress: Callable[[int, int, Case], None] | None = None,
    **overrides,
) -> list[CaseResult]:
    """Ask every case through `ask` (turn by turn) and score its last answer; one `MemoScorer`
    serves the whole run, so a sentence quoted by many answers is scored once."""
    scorer = MemoScorer(scorer or default_scorer())
    results = []
    for number, case in enumerate(cases, 1):
        if progress:
            progress(number, len(cases), case)
        answer = run_case(case, ask, **overrides)
        results.append(evaluate_answer(case, answer.to_dict(), lookup, scorer))
    return results


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def summarise(results: list[CaseResult]) -> dict:
    """The data-set figures (see the module docstring); a metric with no case to measure is None."""
    quotes = sum(r.quotes for r in results)
    listed = [r for r in results if r.case.must_not_include]
    return _dev_figures(results) | {
        "quote_exactness": (sum(r.exact_quotes for r in results) / quotes) if quotes else None,
        "citation_recall": _mean(r.citation_recall for r in results),
        "citation_precision": _mean(r.citation_precision for r in results),
        "must_include_recall": _mean(r.must_include_recall for r in results if r.case.answerable),
        "refusal_accuracy": _mean(float(r.refusal_correct) for r in results),
        "forbidden_rate": _mean(float(bool(r.forbidden)) for r in listed),
        "n_cases": len(results),
        "n_answered": sum(not r.refused for r in results),
        "n_passed": sum(r.passed for r in results),
        "n_quotes": quotes,
        "n_sentences": sum(len(r.statements) for r in results),
    }


def _dev_figures(results: list[CaseResult]) -> dict:
    """The dev sets' figures (`../shared/data/dev/README.md`) when the cases are in their format:
    hit and doc_hit rates over answerable cases, refusal_ok over unanswerable ones, their
    balanced mean, false refusals, and the median answer length in characters."""
    dev = [r for r in results if r.case.dev_format]
    if not dev:
        return {}
    answerable = [r for r in dev if r.case.answerable]
    unanswerable = [r for r in dev if not r.case.answerable]
    hit = _mean(float(bool(r.hit)) for r in answerable)
    refusal_ok = _mean(float(r.refused) for r in unanswerable)
    lengths = sorted(len(r.answer.get("answer") or "") for r in dev if not r.refused)
    return {
        "hit": hit,
        "doc_hit": _mean(float(bool(r.doc_hit)) for r in answerable),
        "refusal_ok": refusal_ok,
        "false_refusal": _mean(float(r.refused) for r in answerable),
        "balanced": (hit + refusal_ok) / 2 if hit is not None and refusal_ok is not None else None,
        "median_answer_chars": lengths[len(lengths) // 2] if lengths else None,
    }


def by_kind(results: list[CaseResult]) -> dict[str, dict]:
    """`summarise` for each case kind, in order of first appearance."""
    kinds: dict[str, list[CaseResult]] = {}
    for result in results:
        kinds.setdefault(result.case.kind, []).append(result)
    return {kind: summarise(group) for kind, group in kinds.items()}
