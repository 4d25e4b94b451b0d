"""Fit which documents a conversation is about: `python -m bench.fit.discussed [--limit N] [--no-write]`.

What it does: measures the `qa.conversation.discussed` features of the candidate documents of the fit split's
CoQA follow-ups (their story is the one the conversation was about), of the `shift` cases (a
SQuAD question after an exchange about another article: the question's own article) and of the
`follow` set's answerable cases (a pronoun pointing back to the article just discussed), fits a
conditional logit (softmax over each case's candidates, L2 chosen out of fold), reports how often
the right document comes first, out of fold and on the kept-out split, beside the question's own
best match, and writes `qa/models/discussed.json` and the MODELS.md section `discussed`.
Features come from the chain's own search (`qa.search.retrieve.conversation_candidates`), so what is fit
is what runs.
What it does not: choose how the chain uses the probabilities (`Settings.discussed_weight`,
chosen with `bench.suite` on the fit split).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from scipy.optimize import minimize

from bench.data.devsets import index_for, load_set, select
from bench.report import MODELS, machine_line, write_section
from qa.conversation.discussed import FEATURES, MODEL_PATH, OWN, DiscussedModel

L2_CHOICES = (0.1, 1.0, 10.0)
FOLDS = 4
SETS = ("coqa", "shift", "follow")


def cases_of(split: str, limit: int | None) -> list:
    """The fit (or kept) cases with a gold document: coqa follow-ups, as many shifts, the follow set's answerable ones."""
    follow_ups = select(load_set("coqa"), split, limit, {"coqa-followup", "coqa-ambiguous"})
    shifts = select(load_set("shift"), split, len(follow_ups))
    follows = [c for c in select(load_set("follow"), split, limit) if c.answerable and c.gold_doc]
    return follow_ups + shifts + follows


def measured(cases) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(set, features of each candidate document, 1 for the gold one) of each case."""
    from ingest.embed import get_embedder
    from qa.conversation.follow_up import get_follow_up_model
    from qa.conversation.history import Conversation, clean_history
    from qa.search.index import get_index
    from qa.search.retrieve import conversation_candidates
    from qa.settings import Settings

    embedder, rows = get_embedder(), []
    blank = DiscussedModel({})
    for case in cases:
        settings = Settings(index=index_for(case.set, progress=False))
        index = get_index(settings)
        conversation = Conversation.of(clean_history(list(case.history)), index, settings.conversation_exchanges)
        weights = [settings.conversation_weight * settings.conversation_decay**age for age in range(len(conversation.exchanges))]
        documents = conversation_candidates(
            index, embedder, case.question, conversation, weights, settings.dense_k, settings.keyword_k,
            settings.rrf_k, settings.rerank_depth, get_follow_up_model().probability, blank,
        ).document_features
        sources = sorted(documents)
        x = np.array([[documents[s][name] for name in FEATURES] for s in sources]).reshape(len(sources), len(FEATURES))
        rows.append((case.set, x, np.array([s in case.gold_doc for s in sources], dtype=float)))
    return rows


def fit_conditional_logit(rows, l2: float, scale: np.ndarray) -> np.ndarray:
    """Weights (on features divided by `scale`) maximising the log-probability of each case's gold
    document among its candidates, minus l2/2 |w|^2. Cases whose candidates miss it are skipped."""
    usable = [(x / scale, y) for _, x, y in rows if y.any()]

    def loss(w):
        total, gradient = 0.0, np.zeros_like(w)
        for x, y in usable:
            logits = x @ w
            p = np.exp(logits - logits.max())
            p /= p.sum()
            gold = int(np.argmax(y))
            total -= np.log(p[gold] + 1e-12)
            gradient -= x[gold] - p @ x
        return total + l2 / 2 * w @ w, gradient + l2 * w

    # Tight tolerances: the objective is strictly convex, yet with the defaults two runs stopped up
    # to 0.7 apart in a weight; now they differ by under 0.05 (the searches' float noise).
    options = {"maxiter": 5000, "ftol": 1e-14, "gtol": 1e-9}
    return minimize(loss, np.zeros(len(scale)), jac=True, method="L-BFGS-B", options=options).x


def own_matches_only(rows, l2: float, scale: np.ndarray) -> np.ndarray:
    """The same fit on the question's own features alone (the first of `FEATURES`; the rest weigh 0)."""
    n = len(OWN)
    weights = fit_conditional_logit([(name, x[:, :n], y) for name, x, y in rows], l2, scale[:n]) / scale[:n]
    return np.concatenate([weights, np.zeros(len(FEATURES) - n)])


def first_right(rows, weights: np.ndarray) -> float:
    """Share of the cases whose best candidate is the gold document (candidates missing it count as wrong)."""
    return float(np.mean([y[int(np.argmax(x @ weights))] > 0 if len(y) else False for _, x, y in rows])) if rows else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fit.discussed", description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="at most N cases of each set per split")
    parser.add_argument("--no-write", action="store_true", help="print only: keep the model file and MODELS.md")
    args = parser.parse_args(argv)
    began = time.time()
    rows, kept = measured(cases_of("fit", args.limit)), measured(cases_of("kept", args.limit))
    scale = np.vstack([x for _, x, _ in rows]).std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    folds = np.arange(len(rows)) % FOLDS
    best = None
    for l2 in L2_CHOICES:
        right = []
        for fold in range(FOLDS):
            w = fit_conditional_logit([r for r, f in zip(rows, folds) if f != fold], l2, scale) / scale
            right.append(first_right([r for r, f in zip(rows, folds) if f == fold], w) * (folds == fold).sum())
        score = sum(right) / len(rows)
        if best is None or score > best[1]:
            best = (l2, score)
    l2, oof = best
    weights = fit_conditional_logit(rows, l2, scale) / scale
    own = own_matches_only(rows, l2, scale)
    lines = [
        f"`python -m bench.fit.discussed`: {len(rows)} fit-split cases (coqa follow-ups, as many shifts, the follow "
        f"set's answerable cases); conditional logit, L2 {l2} (out of fold, {FOLDS} folds); {machine_line()}; "
        f"{time.time() - began:.0f} s. Share of cases whose right document comes first:",
        "",
        "| set | cases | fitted, kept out | the question's own matches only, kept out |",
        "|---|---:|---:|---:|",
    ]
    for name in SETS:
        chosen = [r for r in kept if r[0] == name]
        lines.append(f"| {name} | {len(chosen)} | {first_right(chosen, weights):.3f} | {first_right(chosen, own):.3f} |")
    coqa_kept = [r for r in kept if r[0] == "coqa"]
    coqa_alone = fit_conditional_logit([r for r in rows if r[0] == "coqa"], l2, scale) / scale
    lines += [
        "",
        f"Out of fold on the fit split: {oof:.3f}. The same fit on the coqa follow-ups alone (no topic shift to "
        f"leave the conversation for) puts the right story first for {first_right(coqa_kept, coqa_alone):.3f} of the "
        f"kept-out coqa cases; it is among the candidates for {np.mean([y.any() for _, _, y in coqa_kept]):.3f}.",
        "", "Weights: " + ", ".join(f"{name} {value:+.3f}" for name, value in zip(FEATURES, weights)) + ".",
    ]
    print("\n".join(lines))
    if not args.no_write:
        model = {
            "weights": {name: float(value) for name, value in zip(FEATURES, weights)},
            "provenance": f"python -m bench.fit.discussed{' --limit ' + str(args.limit) if args.limit else ''}: "
            f"{len(rows)} fit-split cases; L2 {l2}",
        }
        MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        write_section("discussed", "## Which documents a conversation is about\n\n" + "\n".join(lines), path=MODELS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
