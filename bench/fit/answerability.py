"""Fit the answerability model: `python -m bench.fit.answerability [--squad N] [--medquad N] [--coqa N] [--swap N] [--per-set]`.

What it does, reproducibly (no randomness: folds are fixed by article, the solver is Newton's):
1. collects the signals (`qa.decision.answer_signals`) of the first N cases of the *fit* split of squad2
   (answerable and unanswerable questions over 12 Wikipedia articles), of coqa (conversational
   follow-ups, all answerable), and of off-topic questions (the next squad2 fit-split questions
   asked on coqa's corpus) and, with `--medquad N`, of medquad's health questions (on-topic near
   misses among them) and, with `--swap N`, of the `swap` set's on-topic near misses (squad2 questions
   whose focus was swapped for a word their article lacks: `bench.data.swap_set`), cached by
   `bench.fit.signals_cache`, and the answer head's
   logit for each case's best sentence (the head, `bench.fit.answer_head`, is trained on other
   fit-split cases than these);
2. fits an L2-regularised logistic regression (answerable = 1) on all three kinds (see the
   comment in `main` for why each is there);
3. chooses the penalty and the threshold on out-of-fold probabilities (4 folds by squad2
   article): the highest threshold whose false refusals on answerable cases stay at or under
   `TARGET_FALSE_REFUSAL` — refusing as many unanswerable questions as that allows; and, the same
   way, the threshold for follow-ups whose sentences were scored with their conversation, on
   such follow-ups: the `follow` set's fit split (half unanswerable) and coqa's (out of fold);
   with `--per-set`, instead, both thresholds at once (`joint_thresholds`): the pair refusing the
   most unanswerable cases while refusing at most the target of the answerable cases of *each*
   set (squad2, medquad, coqa, follow and the topic shifts, `shift`, which is read for this only);
   `--per-fold` holds the target on each fold of each set apart, and `--objective S ...` maximises the
   unanswerable cases refused of those sets only;
4. writes `qa/models/answerability.json` (weights, threshold, provenance) and a report of the
   out-of-fold AUROC, beside the best-sentence score alone, into MODELS.md; with `--out M`, the model
   to M alone (a variant, for `python -m bench.fit.kept_out M`), with `--head H`, read with that head.
The kept-out split (4 squad2 articles, a third of coqa's stories; `bench.data.devsets`) and the golden
set are never read here: `python -m bench.suite` reports on them.
What it does not: run at answer time (see `qa.decision.answerability`).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from bench.data.devsets import article_of, load_set, squad_kept_articles, topic_document
from bench.fit.logistic import fit_logistic, standardise
from bench.fit.signals_cache import collect, fingerprint
from bench.fit.thresholds import TARGET_FALSE_REFUSAL, choose_threshold, joint_thresholds
from qa.decision.answer_signals import SIGNALS
from qa.decision.answerability import MODEL_PATH
from qa.eval.agreement import auroc

# Chosen by out-of-fold squad2 AUROC on the fit split (all twelve signals did no better).
DEFAULT_SIGNALS = ("best", "answer_head", "drop_gain", "missing_names", "cover_document")
OFF_TOPIC = 300  # squad2 fit questions asked on coqa's corpus
FOLLOW = 600  # fit-split follow-ups of the `follow` set, read for the thresholds
SHIFT = 400  # fit-split topic shifts, read for the per-set thresholds
L2 = 1.0
L2_CHOICES = (1.0, 10.0, 100.0)
FOLDS = 4


def matrix(rows: list[dict], names: list[str]) -> np.ndarray:
    return np.array([[float(row["signals"].get(name, 0.0)) for name in names] for row in rows])


def out_of_fold(x, y, folds, l2=L2, weights=None) -> np.ndarray:
    predictions = np.zeros(len(y))
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        mean, scale = standardise(x[train])
        w, b = fit_logistic((x[train] - mean) / scale, y[train], l2, None if weights is None else weights[train])
        predictions[test] = _predict(x[test], mean, scale, w, b)
    return predictions


def with_fit_time_signals(rows: list[dict], head_path: Path | None = None) -> None:
    """Fill the signal a cached row is collected without, from its best pair (question, sentence):
    the answer head's logit (the head may have been retrained since), of the shipped head or of the
    one stored at `head_path`."""
    from qa.decision.answer_head import AnswerHead, get_answer_head
    from qa.search.rerank import get_cross_encoder

    head, cross_encoder = AnswerHead(head_path) if head_path else get_answer_head(), get_cross_encoder(2)
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


def _predict(x: np.ndarray, mean: np.ndarray, scale: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b))) if len(x) else np.zeros(0)


def main(argv: list[str] | None = None) -> int:
    from bench.report import MODELS, machine_line, write_section

    parser = argparse.ArgumentParser(prog="python -m bench.fit.answerability", description=__doc__.split("\n")[0])
    # The answer head is trained on the fit-split cases after those read here (bench.data.answer_pairs
    # SKIP): the decision is fit on these alone, so the head's weight is not learnt from questions
    # it was trained on (an eight-layer head scores its own training questions far better).
    parser.add_argument("--squad", type=int, default=1200, help="first N fit-split squad2 cases (default 1200)")
    parser.add_argument("--medquad", type=int, default=0, help="first N fit-split medquad cases (default 0, as shipped; "
                        "300 leaves the rest to bench.data.answer_pairs)")
    parser.add_argument("--coqa", type=int, default=400, help="first N fit-split coqa follow-ups (default 400)")
    parser.add_argument("--swap", type=int, default=0, help="first N fit-split cases of the swap set (squad2 questions "
                        "with their focus swapped for a word their article lacks: unanswerable; default 0)")
    parser.add_argument("--objective", nargs="*", default=None,
                        help="with --per-set: the sets whose unanswerable cases refused are maximised (default: all)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--signals", nargs="*", default=list(DEFAULT_SIGNALS), choices=SIGNALS,
                        help=f"signals to use (default: {' '.join(DEFAULT_SIGNALS)})")
    parser.add_argument("--target", type=float, default=TARGET_FALSE_REFUSAL,
                        help=f"false refusal allowed out of fold on each set (default {TARGET_FALSE_REFUSAL})")
    parser.add_argument("--per-set", action="store_true",
                        help="choose both thresholds at once under the target on each set (`joint_thresholds`) instead of "
                        "the shipped rule: the question threshold on squad2, the conversation one on the pooled follow-ups")
    parser.add_argument("--per-fold", action="store_true",
                        help="with --per-set: hold the target on each fold of each set (its articles, pages or stories apart)")
    parser.add_argument("--head", type=Path, default=None, help="the answer head's weights (default: the shipped head)")
    parser.add_argument("--out", type=Path, default=None, help="write the model here, not over the shipped one nor MODELS.md")
    parser.add_argument("--dry-run", action="store_true", help="report without writing the model or MODELS.md")
    args = parser.parse_args(argv)
    began = time.time()

    kept = lambda rows: [r for r in rows if not r["policy"]]  # noqa: E731
    squad = kept(collect("squad2", "fit", args.squad, args.workers))
    medquad = kept(collect("medquad", "fit", args.medquad, args.workers)) if args.medquad else []
    coqa = kept(collect("coqa", "fit", args.coqa, args.workers)) if args.coqa else []
    swap = kept(collect("swap", "fit", args.swap, args.workers)) if args.swap else []
    # Off-topic questions: squad2 questions asked on coqa's stories (see answer_signals_cache).
    off_topic = kept(collect("squad2", "fit", OFF_TOPIC, args.workers, on="coqa", offset=args.squad))
    # Read only to choose the thresholds: follow-ups that lean on their conversation (half
    # unanswerable) and topic shifts (answerable questions after an exchange about another article).
    follow = kept(collect("follow", "fit", FOLLOW, args.workers))
    shift = kept(collect("shift", "fit", SHIFT, args.workers)) if args.per_set else []
    with_fit_time_signals(squad + medquad + swap + coqa + off_topic + follow + shift, args.head)

    # Four kinds of case are fit on: squad2's on-topic questions, half unanswerable; medquad's
    # health questions over look-alike pages, whose near misses ask for a section the page lost;
    # off-topic ones, all unanswerable (without them a low score would not mean "refuse"); coqa's
    # follow-ups, all answerable (without them a short, elliptic follow-up would look off topic).
    # Folds: squad2 by article, medquad by page, the others spread evenly.
    by_id = {c.id: c for name in ("squad2", "medquad", "swap") for c in load_set(name)}
    articles = sorted({article_of(by_id[r["id"]]) for r in squad + swap})
    pages = sorted({topic_document(by_id[r["id"]]) or r["id"] for r in medquad})
    rows = squad + medquad + swap + off_topic + coqa
    names = list(args.signals)
    x = matrix(rows, names)
    y = np.array([float(r["answerable"]) for r in squad + medquad] + [0.0] * len(swap + off_topic) + [1.0] * len(coqa))
    folds = np.concatenate([
        [fold_of("squad2", article_of(by_id[r["id"]]), articles) for r in squad + swap],
        [pages.index(topic_document(by_id[r["id"]]) or r["id"]) % FOLDS for r in medquad],
        np.arange(len(off_topic)) % FOLDS, np.arange(len(coqa)) % FOLDS,
    ]).astype(int)
    kind = np.array(["squad2"] * len(squad) + ["medquad"] * len(medquad) + ["swap"] * len(swap) + ["off_topic"] * len(off_topic)
                    + ["coqa"] * len(coqa))
    # Per set: a follow-up and a topic shift made from the same squad2 question share its id.
    questions = {name: {c.id: c.question for c in load_set(name)} for name in ("coqa", "follow", "shift")}
    conversation = np.array([k == "coqa" and scored_with_conversation(r, questions["coqa"][r["id"]]) for k, r in zip(kind, rows)])

    # The penalty: the one whose out-of-fold AUROC, the mean over squad2 and medquad, is best.
    tried = {l2: out_of_fold(x, y, folds, l2) for l2 in L2_CHOICES}
    def mean_auroc(p):
        return np.mean([auroc(p[kind == k], y[kind == k]) for k in ("squad2", "medquad") if (kind == k).any()])
    l2 = max(L2_CHOICES, key=lambda value: mean_auroc(tried[value]))
    oof = tried[l2]
    mean, scale = standardise(x)
    w, b = fit_logistic((x - mean) / scale, y, l2)

    # Thresholds, chosen on each set apart (the highest whose false refusals stay at or under the
    # target on every one): questions scored alone on the sets fit on (out of fold) and on the topic
    # shifts; follow-ups scored with their conversation on coqa's (out of fold), the follow set's
    # and the shifts that were (the fitted model: they were never fit on).
    follow_p, shift_p = _predict(matrix(follow, names), mean, scale, w, b), _predict(matrix(shift, names), mean, scale, w, b)
    follow_y, shift_y = np.array([float(r["answerable"]) for r in follow]), np.ones(len(shift))
    follow_conv = np.array([scored_with_conversation(r, questions["follow"][r["id"]]) for r in follow], dtype=bool)
    shift_conv = np.array([scored_with_conversation(r, questions["shift"][r["id"]]) for r in shift], dtype=bool)
    alone_p = np.concatenate([oof[~conversation], follow_p[~follow_conv], shift_p[~shift_conv]])
    alone_y = np.concatenate([y[~conversation], follow_y[~follow_conv], shift_y[~shift_conv]])
    alone_g = np.concatenate([kind[~conversation], ["follow"] * int((~follow_conv).sum()), ["shift"] * int((~shift_conv).sum())])
    conv_p = np.concatenate([oof[conversation], follow_p[follow_conv], shift_p[shift_conv]])
    conv_y = np.concatenate([y[conversation], follow_y[follow_conv], shift_y[shift_conv]])
    conv_g = np.concatenate([kind[conversation], ["follow"] * int(follow_conv.sum()), ["shift"] * int(shift_conv.sum())])
    if args.per_set:
        groups = np.concatenate([alone_g, conv_g])
        if args.per_fold:  # each set's folds apart: a threshold that holds on every group of documents
            # follow and shift cases keep their squad2 question's id, so their article's fold.
            follow_f, shift_f = ([fold_of("squad2", article_of(by_id[r["id"]]), articles) for r in part] for part in (follow, shift))
            follow_f, shift_f = np.array(follow_f, dtype=int), np.array(shift_f, dtype=int)
            row_folds = np.concatenate([folds[~conversation], follow_f[~follow_conv], shift_f[~shift_conv],
                                        folds[conversation], follow_f[follow_conv], shift_f[shift_conv]])
            groups = np.array([f"{g}#{f}" for g, f in zip(groups, row_folds)])
        objective = args.objective and [*args.objective, *(f"{name}#{fold}" for name in args.objective for fold in range(FOLDS))]
        threshold, conversation_threshold = joint_thresholds(
            np.concatenate([alone_p, conv_p]), np.concatenate([alone_y, conv_y]), groups,
            np.concatenate([np.zeros(len(alone_p), bool), np.ones(len(conv_p), bool)]), args.target, objective or None)
    else:  # the shipped rule: squad2 out of fold; follow-ups scored with their conversation, pooled
        threshold = choose_threshold(oof[kind == "squad2"], y[kind == "squad2"], args.target)
        conversation_threshold = choose_threshold(
            np.concatenate([follow_p[follow_conv], oof[conversation]]), np.concatenate([follow_y[follow_conv], y[conversation]]),
            args.target) if conversation.any() or follow_conv.any() else threshold

    all_p, all_y = np.concatenate([alone_p, conv_p]), np.concatenate([alone_y, conv_y])
    all_g, all_conv = np.concatenate([alone_g, conv_g]), np.concatenate([np.zeros(len(alone_p), bool), np.ones(len(conv_p), bool)])
    refused = np.where(all_conv, all_p < conversation_threshold, all_p < threshold)

    def figures(group: str) -> str:
        mine = all_g == group
        answerable, unanswerable = mine & (all_y == 1), mine & (all_y == 0)
        cell = lambda m: f"{float(refused[m].mean()):.3f}" if m.any() else "–"  # noqa: E731
        area = f"{auroc(all_p[mine], all_y[mine]):.3f}" if answerable.any() and unanswerable.any() else "–"
        return f"{int((mine & ~all_conv).sum())} + {int((mine & all_conv).sum())} | {area} | {cell(unanswerable)} | {cell(answerable)}"

    k = len(names)
    rounded = lambda values: [round(float(v), 6) for v in values]  # noqa: E731
    spec = {
        "kind": "logistic regression over standardised signals (qa.decision.answer_signals)",
        "signals": names,
        "mean": rounded(mean[:k]),
        "scale": rounded(scale[:k]),
        "weights": rounded(w[:k]),
        "bias": round(float(b), 6),
        "threshold": round(threshold, 6),
        "conversation_threshold": round(conversation_threshold, 6),
        "provenance": {
            "fit_on": f"{len(squad)} squad2 cases (fit split: 12 of 16 articles, SQuAD 2.0 dev, CC BY-SA 4.0), "
            f"{len(medquad)} medquad cases (fit split: two thirds of the pages, MedQuAD, CC BY 4.0), "
            + (f"{len(swap)} swap cases (squad2 fit-split questions with their focus swapped: unanswerable), " if swap else "") +
            f"{len(off_topic)} off-topic ones (the next squad2 fit questions asked on coqa's stories) and "
            f"{len(coqa)} coqa follow-ups (fit split: two thirds of the stories, Abg-CoQA validation, MIT)",
            "kept_out": "squad2 articles " + ", ".join(sorted(squad_kept_articles()))
            + "; coqa stories and medquad pages whose sha1 is 0 mod 3; the golden set",
            "threshold": (f"highest refusing at most {args.target:.0%} of the answerable cases of each set out of fold "
            f"({FOLDS} folds by article, page or case), for questions scored alone and, apart, for follow-ups scored "
            f"with their conversation; the follow set's {len(follow)} and the shift set's {len(shift)} fit-split cases "
            "are read for the thresholds only") if args.per_set else (
            f"highest refusing at most {args.target:.0%} of answerable cases out of fold "
            f"({FOLDS} folds by article); conversation_threshold: the same, on {int(follow_conv.sum())} fit-split "
            f"follow-ups of the follow set and {int(conversation.sum())} coqa ones (out of fold) scored with their conversation"),
            "l2": l2,
            "signals_fingerprint": fingerprint(),
            "script": "python -m bench.fit.answerability" + (f" --squad {args.squad}" if args.squad != 1200 else "")
            + (f" --medquad {args.medquad}" if args.medquad else "")
            + (f" --swap {args.swap}" if args.swap else "")
            + (f" --head {args.head}" if args.head else "")
            + (f" --objective {' '.join(args.objective)}" if args.objective else "")
            + (" --per-fold" if args.per_fold else "")
            + (" --per-set" if args.per_set else "")
            + (f" --coqa {args.coqa}" if args.coqa != 400 else "")
            + (f" --target {args.target:g}" if args.target != TARGET_FALSE_REFUSAL else ""),
        },
    }
    lines = [
        "## Answerability model (fit)",
        "",
        f"`{spec['provenance']['script']}`: {len(squad)} squad2, {len(medquad)} medquad, {len(off_topic)} off-topic and "
        f"{len(coqa)} coqa cases of the fit split (L2 {l2:g}); at most {args.target:.0%} of the answerable cases refused "
        + ("on each set; " if args.per_set else "on squad2 and on the pooled follow-ups; ") + f"{machine_line()}; {time.time() - began:.0f} s with cached signals.",
        "",
        "Out of fold (4 folds by article, page or case) for the sets fit on; the follow and shift sets are never fit on:",
        "",
        f"Threshold {threshold:.3f} for questions scored alone, {conversation_threshold:.3f} for follow-ups scored with "
        "their conversation" + (" (the pair on a grid refusing the most unanswerable cases, the mean over the sets that "
        "have them, with each set's answerable cases refused at most at the target):" if args.per_set else ":"),
        "",
        "| set | cases (alone + with conversation) | AUROC | unanswerable refused | answerable refused |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {group} | {figures(group)} |" for group in dict.fromkeys(all_g.tolist())]
    if "best" in names:
        on_squad = kind == "squad2"
        lines += ["", f"Beside it, squad2 AUROC of the best-sentence score alone {auroc(x[on_squad, names.index('best')], y[on_squad]):.3f}"
                  + (f", of the answer head alone {auroc(x[on_squad, names.index('answer_head')], y[on_squad]):.3f}" if "answer_head" in names else "")
                  + f"; the fitted model {auroc(oof[on_squad], y[on_squad]):.3f}."]
    lines += ["", "Weights (per standard deviation of each signal): "
              + ", ".join(f"{name} {weight:+.3f}" for name, weight in zip(names, w[:k])) + "."]

    print("\n".join(lines))
    if args.out and not args.dry_run:
        args.out.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    elif not args.dry_run:
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        MODEL_PATH.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        write_section("answerability", "\n".join(lines), path=MODELS)
        print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
