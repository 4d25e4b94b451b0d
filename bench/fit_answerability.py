"""Fit the answerability model: `python -m bench.fit_answerability [--squad N] [--coqa N] [--workers W]`.

What it does, reproducibly (no randomness: folds are fixed by article, the solver is Newton's):
1. collects the signals (`qa.answer_signals`) of the first N cases of the *fit* split of squad2
   (answerable and unanswerable questions over 12 Wikipedia articles), of coqa (conversational
   follow-ups, all answerable), and of off-topic questions (the next squad2 fit-split questions
   asked on coqa's corpus), cached by `bench.answer_signals_cache`, and the answer head's
   logit for each case's best sentence (the head, `bench.train_answer_head`, is trained on other
   fit-split cases than these);
2. fits an L2-regularised logistic regression (answerable = 1) on all three kinds (see the
   comment in `main` for why each is there);
3. chooses the penalty and the threshold on out-of-fold probabilities (4 folds by squad2
   article): the highest threshold whose false refusals on answerable cases stay at or under
   `TARGET_FALSE_REFUSAL` — refusing as many unanswerable questions as that allows; and, the same
   way, the threshold for follow-ups whose sentences were scored with their conversation, on
   such follow-ups: the `follow` set's fit split (half unanswerable) and coqa's (out of fold);
4. writes `qa/models/answerability.json` (weights, threshold, provenance) and a report of the
   out-of-fold AUROC, beside the best-sentence score alone, into MODELS.md.
The kept-out split (4 squad2 articles, a third of coqa's stories; `bench.devsets`) and the golden
set are never read here: `python -m bench.suite` reports on them.
What it does not: run at answer time (see `qa.answerability`).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from bench.answer_signals_cache import collect, fingerprint
from bench.devsets import article_of, load_set, squad_kept_articles
from bench.logistic import fit_logistic, standardise
from qa.answer_signals import SIGNALS
from qa.answerability import MODEL_PATH
from qa.eval.agreement import auroc

# Chosen by out-of-fold squad2 AUROC on the fit split (all twelve signals did no better).
DEFAULT_SIGNALS = ("best", "answer_head", "drop_gain", "missing_names", "cover_document")
# The bar is "at most 10% of answerable questions refused"; the threshold is chosen at that rate
# out of fold on the fit split.
TARGET_FALSE_REFUSAL = 0.10
OFF_TOPIC = 300  # squad2 fit questions asked on coqa's corpus
FOLLOW = 600  # fit-split follow-ups of the `follow` set, for the conversation threshold
L2 = 1.0
L2_CHOICES = (1.0, 10.0, 100.0)
FOLDS = 4


def choose_threshold(probabilities: np.ndarray, labels: np.ndarray, target: float = TARGET_FALSE_REFUSAL) -> float:
    """The highest threshold refusing at most `target` of the answerable cases."""
    answerable = np.sort(probabilities[labels == 1])
    allowed = int(np.floor(target * len(answerable)))
    return float(answerable[allowed]) if allowed < len(answerable) else 0.0


def matrix(rows: list[dict], names: list[str]) -> np.ndarray:
    return np.array([[float(row["signals"].get(name, 0.0)) for name in names] for row in rows])


def out_of_fold(x, y, folds, l2=L2, weights=None) -> np.ndarray:
    predictions = np.zeros(len(y))
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        mean, scale = standardise(x[train])
        w, b = fit_logistic((x[train] - mean) / scale, y[train], l2, None if weights is None else weights[train])
        predictions[test] = 1 / (1 + np.exp(-(((x[test] - mean) / scale) @ w + b)))
    return predictions


def with_fit_time_signals(rows: list[dict]) -> None:
    """Fill the signal a cached row is collected without, from its best pair (question, sentence):
    the answer head's logit (the head may have been retrained since)."""
    from qa.answer_head import get_answer_head
    from qa.rerank import get_cross_encoder

    head, cross_encoder = get_answer_head(), get_cross_encoder(2)
    for row in rows:
        pair = row.get("best_pair")
        row["signals"]["answer_head"] = head.score(cross_encoder.read_pairs([tuple(pair)])[1][0]) if pair else -12.0


def scored_with_conversation(row: dict, question: str) -> bool:
    """Whether the chain scored the case's sentences with its conversation: the best pair's
    question is then the question followed by the latest exchange, not the question as asked."""
    pair = row.get("best_pair")
    return bool(pair) and " ".join(pair[0].split()) != " ".join(question.split())


def fold_of(set_name: str, key: str, articles: list[str]) -> int:
    """The fold of a squad2 case: by its article, so no article is on both sides."""
    return articles.index(key) % FOLDS


def main(argv: list[str] | None = None) -> int:
    from bench.report import MODELS, machine_line, write_section

    parser = argparse.ArgumentParser(prog="python -m bench.fit_answerability", description=__doc__.split("\n")[0])
    # The answer head is trained on the fit-split cases after the first 1,200 (bench.train_answer_head
    # --skip): the decision is fit on those 1,200 alone, so the head's weight is not learnt from
    # questions it was trained on (an eight-layer head scores its own training questions far better).
    parser.add_argument("--squad", type=int, default=1200, help="first N fit-split squad2 cases (default 1200)")
    parser.add_argument("--coqa", type=int, default=400, help="first N fit-split coqa follow-ups (default 400)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--signals", nargs="*", default=list(DEFAULT_SIGNALS), choices=SIGNALS,
                        help=f"signals to use (default: {' '.join(DEFAULT_SIGNALS)})")
    parser.add_argument("--target", type=float, default=TARGET_FALSE_REFUSAL,
                        help=f"false refusal allowed out of fold (default {TARGET_FALSE_REFUSAL})")
    parser.add_argument("--dry-run", action="store_true", help="report without writing the model or MODELS.md")
    args = parser.parse_args(argv)
    began = time.time()

    squad = [r for r in collect("squad2", "fit", args.squad, args.workers) if not r["policy"]]
    coqa = [r for r in collect("coqa", "fit", args.coqa, args.workers) if not r["policy"]] if args.coqa else []
    # Off-topic questions: squad2 questions asked on coqa's stories (see answer_signals_cache).
    off_topic = [r for r in collect("squad2", "fit", OFF_TOPIC, args.workers, on="coqa", offset=args.squad) if not r["policy"]]
    with_fit_time_signals(squad + coqa + off_topic)
    by_id = {c.id: c for c in load_set("squad2")}
    articles = sorted({article_of(by_id[r["id"]]) for r in squad})
    folds = np.array([fold_of("squad2", article_of(by_id[r["id"]]), articles) for r in squad])
    names = list(args.signals)
    # Three kinds of case: squad2's on-topic questions, half unanswerable; off-topic ones, all
    # unanswerable (without them a low score would not mean "refuse": squad2's passages are always
    # on topic); coqa's follow-ups, all answerable (without them a short, elliptic follow-up would
    # look like an off-topic question). Folds: squad2 by article, the others spread evenly.
    rows = squad + off_topic + coqa
    x = matrix(rows, names)
    y = np.array([float(r["answerable"]) for r in squad] + [0.0] * len(off_topic) + [1.0] * len(coqa))
    folds = np.concatenate([folds, np.arange(len(off_topic)) % FOLDS, np.arange(len(coqa)) % FOLDS])
    kind = np.array(["squad2"] * len(squad) + ["off_topic"] * len(off_topic) + ["coqa"] * len(coqa))
    on_squad = kind == "squad2"

    # The penalty: the one whose out-of-fold AUROC is best.
    tried = {l2: out_of_fold(x, y, folds, l2) for l2 in L2_CHOICES}
    l2 = max(L2_CHOICES, key=lambda value: auroc(tried[value][on_squad], y[on_squad]))
    oof = tried[l2]
    threshold = choose_threshold(oof[on_squad], y[on_squad], args.target)
    best_only = x[:, names.index("best")] if "best" in names else None

    # The conversation threshold: follow-ups scored with their conversation, the `follow` set's
    # (asked after an exchange about their article, half unanswerable; probabilities of the model
    # fitted above, which never saw them) and coqa's (out of fold).
    questions = {c.id: c.question for name in ("coqa", "follow") for c in load_set(name)}
    follow = [r for r in collect("follow", "fit", FOLLOW, args.workers) if not r["policy"]]
    with_fit_time_signals(follow)
    mean, scale = standardise(x)
    w, b = fit_logistic((x - mean) / scale, y, l2)
    follow_p = 1 / (1 + np.exp(-(((matrix(follow, names) - mean) / scale) @ w + b))) if follow else np.zeros(0)
    follow_y = np.array([float(r["answerable"]) for r in follow])
    follow_conv = np.array([scored_with_conversation(r, questions[r["id"]]) for r in follow], dtype=bool)
    coqa_conv = np.array([kind_ == "coqa" and scored_with_conversation(row, questions[row["id"]]) for kind_, row in zip(kind, rows)])
    conv_p = np.concatenate([follow_p[follow_conv], oof[coqa_conv]])
    conv_y = np.concatenate([follow_y[follow_conv], y[coqa_conv]])
    conversation_threshold = choose_threshold(conv_p, conv_y, args.target) if len(conv_y) else threshold
    follow_ok = float((follow_p[follow_conv & (follow_y == 0)] < conversation_threshold).mean()) if follow_conv.any() else float("nan")
    follow_fr = float((follow_p[follow_conv & (follow_y == 1)] < conversation_threshold).mean()) if follow_conv.any() else float("nan")
    coqa_conv_fr = float((oof[coqa_conv] < conversation_threshold).mean()) if coqa_conv.any() else float("nan")
    follow_auroc = auroc(follow_p[follow_conv], follow_y[follow_conv]) if follow_conv.any() else float("nan")

    squad_ok = float((oof[on_squad & (y == 0)] < threshold).mean())
    squad_fr = float((oof[on_squad & (y == 1)] < threshold).mean())
    off_topic_ok = float((oof[kind == "off_topic"] < threshold).mean()) if len(off_topic) else float("nan")
    coqa_fr = float((oof[kind == "coqa"] < threshold).mean()) if len(coqa) else float("nan")
    k = len(names)
    rounded = lambda values: [round(float(v), 6) for v in values]  # noqa: E731
    spec = {
        "kind": "logistic regression over standardised signals (qa.answer_signals)",
        "signals": names,
        "mean": rounded(mean[:k]),
        "scale": rounded(scale[:k]),
        "weights": rounded(w[:k]),
        "bias": round(float(b), 6),
        "threshold": round(threshold, 6),
        "conversation_threshold": round(conversation_threshold, 6),
        "provenance": {
            "fit_on": f"{len(squad)} squad2 cases (fit split: 12 of 16 articles, SQuAD 2.0 dev, CC BY-SA 4.0) and "
            f"{len(off_topic)} off-topic ones (the next squad2 fit questions asked on coqa's stories) and "
            f"{len(coqa)} coqa follow-ups (fit split: two thirds of the stories, Abg-CoQA validation, MIT)",
            "kept_out": "squad2 articles " + ", ".join(sorted(squad_kept_articles()))
            + "; coqa stories whose sha1 is 0 mod 3; the golden set",
            "threshold": f"highest refusing at most {args.target:.0%} of answerable cases out of fold "
            f"({FOLDS} folds by article); conversation_threshold: the same, on {int(follow_conv.sum())} fit-split "
            f"follow-ups of the follow set and {int(coqa_conv.sum())} coqa ones (out of fold) scored with their conversation",
            "l2": l2,
            "signals_fingerprint": fingerprint(),
            "script": "python -m bench.fit_answerability" + (f" --squad {args.squad}" if args.squad != 1200 else "")
            + (f" --coqa {args.coqa}" if args.coqa != 400 else "")
            + (f" --target {args.target:g}" if args.target != TARGET_FALSE_REFUSAL else ""),
        },
    }
    lines = [
        "## Answerability model (fit)",
        "",
        f"`python -m bench.fit_answerability`: {len(squad)} squad2 + {len(coqa)} coqa cases of the fit split; "
        f"{machine_line()}; {time.time() - began:.0f} s with cached signals.",
        "",
        "Out of fold (4 folds; squad2 by article), on the fit split:",
        "",
        "| score | squad2 AUROC | squad2 refusal_ok | squad2 false_refusal | off-topic refused | coqa false_refusal |",
        "|---|---:|---:|---:|---:|---:|",
        f"| fitted model (L2 {l2:g}), threshold {threshold:.3f} | {auroc(oof[on_squad], y[on_squad]):.3f} | {squad_ok:.3f} | "
        f"{squad_fr:.3f} | {off_topic_ok:.3f} | {coqa_fr:.3f} |",
    ]
    if best_only is not None:
        lines.append(f"| best-sentence score alone | {auroc(best_only[on_squad], y[on_squad]):.3f} | | | | |")
    if "answer_head" in names:
        head_only = x[on_squad, names.index("answer_head")]
        lines.append(f"| answer head alone | {auroc(head_only, y[on_squad]):.3f} | | | | |")
    lines += [
        "",
        f"Follow-ups scored with their conversation ({int(follow_conv.sum())} of the follow set's fit split, half "
        f"unanswerable; {int(coqa_conv.sum())} of coqa's, out of fold): the model's AUROC on the follow set "
        f"{follow_auroc:.3f}; at their own threshold {conversation_threshold:.3f}, follow refusal_ok {follow_ok:.3f}, "
        f"false_refusal {follow_fr:.3f}, coqa false_refusal {coqa_conv_fr:.3f} (at {threshold:.3f}: "
        f"{float((follow_p[follow_conv & (follow_y == 0)] < threshold).mean()):.3f}, "
        f"{float((follow_p[follow_conv & (follow_y == 1)] < threshold).mean()):.3f}, "
        f"{float((oof[coqa_conv] < threshold).mean()):.3f}).",
    ]
    lines += ["", "Weights (per standard deviation of each signal): "
              + ", ".join(f"{name} {weight:+.3f}" for name, weight in zip(names, w[:k])) + "."]

    print("\n".join(lines))
    if not args.dry_run:
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        MODEL_PATH.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        write_section("answerability", "\n".join(lines), path=MODELS)
        print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
