"""Score one whole answer for faithfulness: the metrics `qa.eval` reports, for any RAG system.

What it does: `score_answer(answer, passages=None, lookup=None)` takes
- an `Answer` of this project (or its `to_dict()`), whose citations give the passages (their
  stored text through `lookup(source)` when given, else the quotes themselves), or
- plain answer text with the passages it was written from: a list (marker "[n]" in the text
  points at `passages[n-1]`) or a dict {n: text}. Sentences with no marker are checked against
  all the passages, as RAGAS's faithfulness reads the whole context;
and returns a `FaithfulnessScore`: `faithfulness` (share of the answer's sentences the support
check accepts against what they cite, or against all the passages when they cite nothing),
`citation_recall` and `citation_precision` (ALCE, `qa.eval.citations`; None when nothing is
cited), `quote_exactness` (only with a `lookup` and citations), and every sentence's verdict.
What it does not: run a system, or judge truth beyond the passages (see `qa.eval.support`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from qa.eval.citations import Lookup, MemoScorer, answer_sentences, judge_answer
from qa.eval.metrics import quote_exactness
from qa.eval.support import Scorer, SupportResult, default_scorer, sentence_support


@dataclass
class SentenceVerdict:
    """One sentence of the answer and the support check's verdict on it."""

    text: str
    cited: tuple[int, ...]
    result: SupportResult


@dataclass
class FaithfulnessScore:
    faithfulness: float | None
    citation_recall: float | None
    citation_precision: float | None
    quote_exactness: float | None
    sentences: list[SentenceVerdict] = field(default_factory=list)

    @property
    def unsupported(self) -> list[SentenceVerdict]:
        return [s for s in self.sentences if not s.result.supported]

    def to_dict(self) -> dict:
        return {
            "faithfulness": self.faithfulness,
            "citation_recall": self.citation_recall,
            "citation_precision": self.citation_precision,
            "quote_exactness": self.quote_exactness,
            "n_sentences": len(self.sentences),
            "unsupported": [{"sentence": s.text, "reason": s.result.reason} for s in self.unsupported],
        }


def _as_dict(answer) -> dict:
    if isinstance(answer, str):
        return {"answer": answer, "refused": False, "citations": []}
    if hasattr(answer, "to_dict"):
        return answer.to_dict()
    return dict(answer)


def _numbered(passages) -> dict[int, list[str]]:
    if isinstance(passages, Mapping):
        return {int(n): ([p] if isinstance(p, str) else list(p)) for n, p in passages.items()}
    return {n: [p] for n, p in enumerate(passages, 1)}


def _from_citations(answer: dict, lookup: Lookup | None) -> tuple[dict, Lookup]:
    """Without a lookup, each citation's quote stands for its passage."""
    if lookup is not None:
        return answer, lookup
    citations = [dict(c, source=f"quote {i}", passage_start=0, passage_end=len(c["quote"]), start=0, end=len(c["quote"]))
                 for i, c in enumerate(answer.get("citations") or [])]  # fmt: skip
    texts = {c["source"]: c["quote"] for c in citations}
    return dict(answer, citations=citations), texts


def score_answer(
    answer,
    passages: Sequence[str] | Mapping | None = None,
    lookup: Lookup | None = None,
    scorer: Scorer | None = None,
    threshold: float | None = None,
) -> FaithfulnessScore:
    """The faithfulness metrics of one answer (see the module docstring)."""
    data = _as_dict(answer)
    scorer = scorer if isinstance(scorer, MemoScorer) else MemoScorer(scorer or default_scorer())
    exact = None
    if passages is not None:
        numbered = _numbered(passages)
        citations = [
            {"n": n, "source": f"passage {n}", "quote": text, "start": 0, "end": len(text), "passage_start": 0, "passage_end": len(text)}
            for n, texts in numbered.items() for text in texts
        ]  # fmt: skip
        judged = dict(data, citations=citations)
        store: Lookup = {c["source"]: c["quote"] for c in citations}
        statements = answer_sentences(dict(data, citations=[]))
        everything = [text for texts in numbered.values() for text in texts]
    else:
        if lookup is not None and data.get("citations"):
            exact = quote_exactness(data, lookup)
        judged, store = _from_citations(data, lookup)
        statements = answer_sentences(judged)
        everything = [c["quote"] for c in data.get("citations") or []]
    verdict = judge_answer(judged, store, scorer, threshold) if any(s.cited for s in statements) else None
    sentences = []
    for statement in statements:
        if statement.cited and verdict is not None:
            match = next((v for v in verdict.statements if v.text == statement.text and v.cited == statement.cited), None)
            result = match.support if match else sentence_support(statement.text, [], scorer)
        else:
            extra = {} if threshold is None else {"threshold": threshold}
            result = sentence_support(statement.text, everything, scorer=scorer, **extra)
        sentences.append(SentenceVerdict(statement.text, statement.cited, result))
    faithfulness = sum(s.result.supported for s in sentences) / len(sentences) if sentences else None
    cited = verdict is not None
    return FaithfulnessScore(
        faithfulness,
        verdict.recall if cited else None,
        verdict.precision if cited else None,
        exact,
        sentences,
    )
