"""Fit how much a question leans on the conversation: `python -m bench.fit.follow_up [--limit N] [--no-write]`.

What it does: measures the `qa.conversation.follow_up` features of the fit split's CoQA follow-ups (label 1:
they lean on the exchange before them) and of the `shift` cases (label 0: a SQuAD question asked
after an exchange about another article), fits a logistic regression (L2 chosen out of fold),
reports out-of-fold and kept-out AUROC and accuracy at 0.5, and writes `qa/models/follow_up.json`
and the MODELS.md section `follow_up`. Features are computed by the chain's own search
(`qa.search.retrieve.conversation_candidates`), so what is fit is what runs.
What it does not: fit the weights of the search itself (`Settings.conversation_weight`, chosen with
`bench.suite` on the fit split).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from bench.data.devsets import index_for, load_set, select
from bench.fit.logistic import fit_logistic, standardise
from bench.report import MODELS, machine_line, write_section
from qa.conversation.follow_up import FEATURES, MODEL_PATH
from qa.eval.agreement import auroc

L2_CHOICES = (0.1, 1.0, 10.0)
FOLDS = 4


def features_of(cases, set_name: str) -> np.ndarray:
    from ingest.embed import get_embedder
    from qa.conversation.history import Conversation, clean_history
    from qa.search.index import get_index
    from qa.search.retrieve import conversation_candidates
    from qa.settings import Settings

    settings = Settings(index=index_for(set_name))
    index, embedder = get_index(settings), get_embedder()
    rows = []
    for case in cases:
        conversation = Conversation.of(clean_history(list(case.history)), index, settings.conversation_exchanges)
        weights = [settings.conversation_weight * settings.conversation_decay**age for age in range(len(conversation.exchanges))]
        features = conversation_candidates(
            index, embedder, case.question, conversation, weights,
            settings.dense_k, settings.keyword_k, settings.rrf_k, settings.rerank_depth,
        ).features
        rows.append([features[name] for name in FEATURES])
    return np.array(rows)


def labelled(split: str, limit: int | None):
    follow_ups = select(load_set("coqa"), split, limit, {"coqa-followup", "coqa-ambiguous"})
    shifts = select(load_set("shift"), split, len(follow_ups))
    x = np.vstack([features_of(follow_ups, "coqa"), features_of(shifts, "shift")])
    y = np.array([1] * len(follow_ups) + [0] * len(shifts))
    return x, y


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fit.follow_up", description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="at most N follow-ups (and as many shifts) per split")
    parser.add_argument("--no-write", action="store_true", help="print only: keep the model file and MODELS.md")
    args = parser.parse_args(argv)
    began = time.time()
    x, y = labelled("fit", args.limit)
    kept_x, kept_y = labelled("kept", args.limit)
    folds = np.arange(len(y)) % FOLDS
    best = None
    for l2 in L2_CHOICES:
        predictions = np.zeros(len(y))
        for fold in range(FOLDS):
            train, test = folds != fold, folds == fold
            mean, scale = standardise(x[train])
            w, b = fit_logistic((x[train] - mean) / scale, y[train], l2)
            predictions[test] = 1 / (1 + np.exp(-(((x[test] - mean) / scale) @ w + b)))
        score = auroc(predictions, y)
        if best is None or score > best[1]:
            best = (l2, score, predictions)
    l2, oof_auroc, oof = best
    mean, scale = standardise(x)
    w, b = fit_logistic((x - mean) / scale, y, l2)
    kept = 1 / (1 + np.exp(-(((kept_x - mean) / scale) @ w + b)))
    model = {
        "features": list(FEATURES),
        "weights": {name: float(value) for name, value in zip(FEATURES, w)},
        "bias": float(b),
        "means": {name: float(value) for name, value in zip(FEATURES, mean)},
        "scales": {name: float(value) for name, value in zip(FEATURES, scale)},
        "provenance": f"python -m bench.fit.follow_up{' --limit ' + str(args.limit) if args.limit else ''}: "
        f"{int(y.sum())} coqa follow-ups vs {int((1 - y).sum())} squad2 topic shifts of the fit split; L2 {l2}",
    }
    lines = [
        f"`python -m bench.fit.follow_up`: {int(y.sum())} CoQA follow-ups (lean) vs {int((1 - y).sum())} topic shifts "
        f"(squad2 questions after an exchange about another article), fit split; {machine_line()}; {time.time() - began:.0f} s.",
        "",
        "| cases | AUROC | follow-ups leaning (p ≥ 0.5) | shifts left alone (p < 0.5) |",
        "|---|---:|---:|---:|",
        f"| fit split, out of fold (L2 {l2}) | {oof_auroc:.3f} | {(oof[y == 1] >= 0.5).mean():.3f} | {(oof[y == 0] < 0.5).mean():.3f} |",
        f"| kept out ({len(kept_y)}) | {auroc(kept, kept_y):.3f} | {(kept[kept_y == 1] >= 0.5).mean():.3f} | {(kept[kept_y == 0] < 0.5).mean():.3f} |",
        "",
        "Weights (per standard deviation): " + ", ".join(f"{name} {value:+.3f}" for name, value in zip(FEATURES, w)) + ".",
    ]
    print("\n".join(lines))
    if not args.no_write:
        MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        write_section("follow_up", "## Follow-up model (how much a question leans on the conversation)\n\n" + "\n".join(lines), path=MODELS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
