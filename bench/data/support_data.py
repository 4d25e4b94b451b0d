"""The labelled support pairs the judge is fitted and measured on, with their signals.

What it does:
- `load_dev()` reads the human labels of `../shared/data/dev/support/cases.jsonl` (`begin-dev`,
  `wice-dev`; format in `../shared/data/dev/README.md`) and `load_project()` the project's own
  labelled pairs (`tests/data/support_pairs.jsonl`, its `calibrate` split only: the `holdout`
  split stays a test);
- `part(id)`: the deterministic split of the dev labels - a case is **kept out** (never used to
  fit or to choose anything) when the first 8 hex digits of sha256(id), as an integer, modulo 10
  are 0, 1 or 2 (about 30%), else it is in the **fitting** part;
- `measure(rows)`: the key-term veto and every signal of `qa.eval.judge` for each row, exactly as
  `qa.eval.support.sentence_support` computes them; cross-encoder scores are cached in
  `.cache/support/` (git-ignored) by a hash of the pair, so a second run takes seconds.
What it does not: fit or report anything (see `bench.fit.support_fit`, `bench.fit.support_judge`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "data" / "dev" / "support" / "cases.jsonl"
PROJECT = ROOT / "tests" / "data" / "support_pairs.jsonl"
CACHE = ROOT / ".cache" / "support" / "cross_encoder.json"
KEPT_OUT = (0, 1, 2)


@dataclass
class Row:
    """One labelled claim with what the support check sees."""

    id: str
    source: str
    claim: str
    passages: list[str]
    supported: bool
    part: str  # "fit" or "kept-out"
    vetoed: bool = False
    values: dict | None = None  # the judge's signals (None when vetoed)


def part(case_id: str) -> str:
    """"kept-out" for about 30% of ids (sha256 of the id), "fit" for the rest."""
    return "kept-out" if int(hashlib.sha256(case_id.encode()).hexdigest()[:8], 16) % 10 in KEPT_OUT else "fit"


def load_dev(path: Path = DEV) -> list[Row]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            rows.append(Row(raw["id"], raw["source"], raw["claim"], list(raw["passages"]), bool(raw["supported"]), part(raw["id"])))
    return rows


def load_project(path: Path = PROJECT) -> list[Row]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            if raw["split"] == "calibrate":
                rows.append(Row(raw["id"], "project", raw["claim"], [raw["passage"]], raw["label"] == "supported", "fit"))
    return rows


class CachedScorer:
    """The cross-encoder with a JSON cache of its scores (one pair per run, so a pair's score
    depends on the pair alone and caching is exact), and of the support head's logits."""

    def __init__(self, scorer=None, path: Path = CACHE):
        self.path, self._scorer = path, scorer
        self.cache = json.loads(path.read_text()) if path.exists() else {}
        self.new = 0
        self._heads: dict[str, float] | None = None

    def _inner(self):
        if self._scorer is None:
            from qa.eval.support import default_scorer

            self._scorer = default_scorer()
        return self._scorer

    def _head_path(self) -> Path:
        """The head logits' cache, one per version of the head's weights."""
        from qa.decision.support_head import SUPPORT_HEAD_PATH

        digest = hashlib.sha256(SUPPORT_HEAD_PATH.read_bytes()).hexdigest()[:12]
        return self.path.with_name(f"support_head-{digest}.json")

    @property
    def head(self):
        """The support head's logit of a pair, cached by the pair and the head's weights (None
        when the inner scorer has no head)."""
        if self._scorer is not None and getattr(self._scorer, "head", None) is None:
            return None

        def head(pair) -> float:
            if self._heads is None:
                path = self._head_path()
                self._heads = json.loads(path.read_text()) if path.exists() else {}
            key = self.key(pair)
            if key not in self._heads:
                self._heads[key] = float(self._inner().head(pair))
                self.new += 1
            return self._heads[key]

        return head

    @staticmethod
    def key(pair) -> str:
        return hashlib.sha256(("\x00".join(pair)).encode()).hexdigest()[:24]

    def __call__(self, pairs):
        todo = [p for p in pairs if self.key(p) not in self.cache]
        if todo:
            for pair, score in zip(todo, self._inner()(todo)):
                self.cache[self.key(pair)] = float(score)
                self.new += 1
        return [self.cache[self.key(p)] for p in pairs]

    def save(self) -> None:
        if self.new:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.cache))
            if self._heads:
                self._head_path().write_text(json.dumps(self._heads))


def measure(rows: list[Row], scorer=None, progress: bool = False) -> list[Row]:
    """Fill in `vetoed` and `values` of every row (in place; returned for convenience)."""
    from qa.eval.judge import signals
    from qa.eval.support import evidence_sentences, strip_citation_markers, veto

    cached = CachedScorer(scorer)
    for number, row in enumerate(rows, 1):
        claim = strip_citation_markers(row.claim)
        texts = [p for p in row.passages if p and p.strip()]
        holding, apart, vetoed = veto(claim, texts) if claim and texts else ([], (0, 0), True)
        row.vetoed = bool(vetoed)
        if not row.vetoed:
            row.values = signals(claim, evidence_sentences(claim, holding), cached, apart).values
        if progress and number % 200 == 0:
            print(f"  measured {number}/{len(rows)}", flush=True)
            cached.save()
    cached.save()
    return rows
