"""Fine-tune the answer head: `python -m bench.fit.answer_head [--sets S ...] [--epochs N] [--limit N] [--layers N]`.

What it does, reproducibly (seed 0, one thread order, data order fixed):
1. takes the training pairs of `bench.data.answer_pairs` for each of `--sets` (default squad2, medquad,
   coqa, follow; `swap` on request: fit split, after the cases the answerability model is fit on, `SKIP`; the
   kept-out articles, pages and stories are never read; `--limit` is per set);
2. reads each pair once through the shipped int8 cross-encoder up to the layer below the head
   (the fourth: frozen, exactly as at answer time) and keeps the hidden states in memory;
3. initialises the head (`qa.decision.answer_head`) from the shipped model's dequantised top layers (eight,
   what the chain reads; `--layers N` tries a deeper head and only reports it) and
   trains it with binary cross-entropy (AdamW), holding out the pairs of some documents of each
   corpus (`held_out`: articles, pages, stories; follow shares squad2's articles) to pick the
   epoch by their pooled pair AUROC;
4. writes `qa/models/answer_head.npz` (int8 matrices, `qa.decision.answer_head.save_stored`) and, to
   MODELS.md, each set's held-out AUROC of the shipped score and of the fine-tuned head: per
   pair, and per question (a question's best pair score, answerable vs not: what the
   answerability decision asks of the head; "–" for coqa, whose follow-ups are all answerable).
What it does not: fit the answerability decision (see `bench.fit.answerability`).
"""

from __future__ import annotations

import argparse
import hashlib
import time

import numpy as np

from bench.data.answer_pairs import DEFAULT_SETS, SETS, collect_pairs
from qa.decision.answer_head import (
    HEAD_PATH,
    TOP_LAYERS,
    dequantised_top_layers,
    load_weights,
    new_head,
    save_stored,
    weights_of,
)
from qa.eval.agreement import auroc

SEED = 0
HELD_OUT_ARTICLES = 3  # per corpus, at least; a tenth of its documents when it has more than 30
BATCH = 32


def _batches(hidden: list[np.ndarray], order: np.ndarray):
    import torch

    for begin in range(0, len(order), BATCH):
        chosen = order[begin : begin + BATCH]
        length = max(hidden[i].shape[0] for i in chosen)
        states = np.zeros((len(chosen), length, hidden[chosen[0]].shape[1]), dtype=np.float32)
        mask = np.zeros((len(chosen), length), dtype=np.float32)
        for row, i in enumerate(chosen):
            states[row, : hidden[i].shape[0]] = hidden[i]
            mask[row, : hidden[i].shape[0]] = 1
        yield chosen, torch.tensor(states), torch.tensor(mask)


def predict(head, hidden, positions) -> np.ndarray:
    import torch

    out = np.zeros(len(hidden))
    with torch.inference_mode():
        for chosen, states, mask in _batches(hidden, np.asarray(positions)):
            out[chosen] = head(states, mask).numpy()
    return out[positions]


def question_auroc(scores: np.ndarray, positions: np.ndarray, pairs: list[dict]) -> float:
    """AUROC of a question's best pair score (the max over its pairs) for "answerable": how the
    head separates questions, which is what the answerability decision asks of it."""
    best: dict[str, float] = {}
    answerable: dict[str, bool] = {}
    for score, i in zip(scores, positions):
        key = pairs[i]["id"]
        best[key] = max(best.get(key, -np.inf), float(score))
        answerable[key] = answerable.get(key, False) or pairs[i]["label"] == 1
    return auroc(np.array(list(best.values())), np.array([answerable[k] for k in best], dtype=float))


def held_out(pairs: list[dict]) -> set[tuple[str, str]]:
    """The (corpus, document) pairs held out: per corpus (follow and swap read squad2's articles, so an
    article is held out for both), max(3, a tenth) of its documents, chosen by a hash of the
    name: deterministic for a given list of pairs."""
    by_corpus: dict[str, set[str]] = {}
    for pair in pairs:
        by_corpus.setdefault(_corpus(pair), set()).add(pair["article"])
    held = set()
    for corpus, documents in sorted(by_corpus.items()):
        ranked = sorted(documents, key=lambda name: hashlib.sha1(name.encode()).hexdigest())
        count = min(max(HELD_OUT_ARTICLES, len(ranked) // 10), len(ranked) - 1) if len(ranked) > 1 else 0
        held |= {(corpus, name) for name in ranked[:count]}
    return held


def _corpus(pair: dict) -> str:
    name = pair.get("set", "squad2")
    return "squad2" if name in ("follow", "swap") else name


def per_set(scores: np.ndarray, positions: np.ndarray, pairs: list[dict], labels: np.ndarray) -> dict[str, tuple[float, float]]:
    """Each set's (pair AUROC, question AUROC) over its pairs among `positions`."""
    out = {}
    for name in sorted({pairs[i].get("set", "squad2") for i in positions}):
        mine = np.array([k for k, i in enumerate(positions) if pairs[i].get("set", "squad2") == name])
        out[name] = (auroc(scores[mine], labels[positions[mine]]), question_auroc(scores[mine], positions[mine], pairs))
    return out


def _figures(figures: tuple[float, float]) -> str:
    return " / ".join("–" if np.isnan(x) else f"{x:.3f}" for x in figures)


def main(argv: list[str] | None = None) -> int:
    import torch

    from bench.report import MODELS, machine_line, write_section
    from qa.search.rerank import LAYERS, CrossEncoder, reranker_dir

    parser = argparse.ArgumentParser(prog="python -m bench.fit.answer_head", description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(DEFAULT_SETS),
                        help=f"the sets whose pairs train the head (default: {' '.join(DEFAULT_SETS)})")
    parser.add_argument("--limit", type=int, default=None, help="at most N cases of each set (a quick run)")
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument(
        "--layers", type=int, default=len(TOP_LAYERS),
        help=f"fine-tune the top N layers (default {len(TOP_LAYERS)}, what the chain reads; any other N is reported, not written)",
    )
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    if not 1 <= args.layers < LAYERS:
        parser.error(f"--layers takes 1 to {LAYERS - 1}")
    # The chain loads a head of TOP_LAYERS over the hidden states after layer HIDDEN_AFTER; a
    # deeper head is an experiment until the chain reads it.
    args.dry_run = args.dry_run or args.layers != len(TOP_LAYERS)
    began = time.time()
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)

    pairs = [pair for name in args.sets for pair in collect_pairs(name, limit=args.limit)]
    cross_encoder = CrossEncoder(threads=2, hidden_after=LAYERS - args.layers)
    from tqdm import tqdm

    logits, hidden = [], []
    for pair in tqdm(pairs, desc="hidden states", unit="pair"):
        score, states = cross_encoder.read_pairs([(pair["question"], pair["sentence"])])
        logits.append(float(score[0]))
        hidden.append(states[0].astype(np.float32))
    labels = np.array([p["label"] for p in pairs], dtype=np.float32)
    held_documents = held_out(pairs)
    held = np.array([i for i, p in enumerate(pairs) if (_corpus(p), p["article"]) in held_documents], dtype=int)
    train = np.array([i for i, p in enumerate(pairs) if (_corpus(p), p["article"]) not in held_documents], dtype=int)
    if not len(held) or not len(train):
        raise SystemExit(f"{len(pairs)} pairs: too few to hold some out (raise --limit)")

    head = load_weights(new_head(args.layers), dequantised_top_layers(reranker_dir() / "model.onnx", args.layers))
    def measured(scores: np.ndarray) -> tuple[float, dict[str, tuple[float, float]]]:
        return auroc(scores, labels[held]), per_set(scores, held, pairs, labels)

    shipped = measured(np.array(logits)[held])
    history = [("shipped (epoch 0)", *measured(predict(head.eval(), hidden, held)))]
    best_state, best_auc = weights_of(head), history[0][1]
    optimiser = torch.optim.AdamW(head.parameters(), lr=args.lr, weight_decay=0.01)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for epoch in range(1, args.epochs + 1):
        head.train()
        order = train[rng.permutation(len(train))]
        for chosen, states, mask in tqdm(list(_batches(hidden, order)), desc=f"epoch {epoch}", unit="batch"):
            optimiser.zero_grad()
            loss = loss_fn(head(states, mask), torch.tensor(labels[chosen]))
            loss.backward()
            optimiser.step()
        pair_score, score = measured(predict(head.eval(), hidden, held))
        history.append((f"epoch {epoch}", pair_score, score))
        said = ", ".join(f"{name} {_figures(figures)}" for name, figures in score.items())
        print(f"epoch {epoch}: held-out pair AUROC {pair_score:.3f} (pair / question AUROC: {said})", flush=True)
        if pair_score > best_auc:
            best_state, best_auc = weights_of(head), pair_score
    names = list(history[0][2])
    counts = ", ".join(
        f"{name} {sum(p.get('set', 'squad2') == name for p in pairs)} pairs of "
        f"{len({p['id'] for p in pairs if p.get('set', 'squad2') == name})} questions "
        f"({sum(pairs[i].get('set', 'squad2') == name for i in held)} held out)"
        for name in args.sets
    )
    lines = [
        "## Answer head (fine-tuned top layers of the reranker)",
        "",
        f"`python -m bench.fit.answer_head --sets {' '.join(args.sets)} --epochs {args.epochs} --layers {args.layers}"
        f"{f' --limit {args.limit}' if args.limit else ''}`: {len(pairs)} pairs from fit-split questions after those the "
        f"answerability fit reads ({int(labels.sum())} answering sentences): {counts}. {len(train)} pairs train; the pairs "
        f"of {len(held_documents)} documents (articles, pages, stories; at least {HELD_OUT_ARTICLES} of each corpus) are held "
        f"out to pick the epoch by their pooled pair AUROC; {machine_line()}; {time.time() - began:.0f} s.",
        "",
        "Each set's held-out AUROC, pair (answering sentence vs not) / question (best pair, answerable vs not; "
        "– where all are answerable):",
        "",
        f"| head | pooled pair AUROC | {' | '.join(names)} |",
        f"|---|---:|{'---:|' * len(names)}",
        f"| shipped int8 model's score | {shipped[0]:.3f} | {' | '.join(_figures(shipped[1][n]) for n in names)} |",
        *[f"| {name} | {pair_score:.3f} | {' | '.join(_figures(score[n]) for n in names)} |" for name, pair_score, score in history],
        "",
        f"Kept: the best held-out epoch (pooled pair AUROC {best_auc:.3f}).",
    ]
    print("\n".join(lines))
    if not args.dry_run:
        save_stored(HEAD_PATH, best_state)
        write_section("answer_head", "\n".join(lines), path=MODELS)
        print(f"wrote {HEAD_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
