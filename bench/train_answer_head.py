"""Fine-tune the answer head: `python -m bench.train_answer_head [--epochs N] [--skip N] [--layers N]`.

What it does, reproducibly (seed 0, one thread order, data order fixed):
1. takes the squad2 training pairs of `bench.answer_pairs` (fit split, after the first `--skip`
   cases, which the answerability model is fit on; the kept-out articles are never read);
2. reads each pair once through the shipped int8 cross-encoder up to the layer below the head
   (the fourth: frozen, exactly as at answer time) and keeps the hidden states in memory;
3. initialises the head (`qa.answer_head`) from the shipped model's dequantised top layers (eight,
   what the chain reads; `--layers N` tries a deeper head and only reports it) and
   trains it with binary cross-entropy (AdamW), holding out the pairs of three of the fit
   articles to pick the epoch by their AUROC;
4. writes `qa/models/answer_head.npz` (int8 matrices, `qa.answer_head.save_stored`) and, to BENCHMARKS.md, the held-out AUROC of the
   shipped score and of the fine-tuned head: per pair, and per question (a question's best pair
   score, answerable vs not: what the answerability decision asks of the head).
What it does not: fit the answerability decision (see `bench.fit_answerability`).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from bench.answer_pairs import collect_pairs
from qa.eval.agreement import auroc
from qa.answer_head import HEAD_PATH, TOP_LAYERS, dequantised_top_layers, load_weights, new_head, save_stored, weights_of

SEED = 0
HELD_OUT_ARTICLES = 3
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


def main(argv: list[str] | None = None) -> int:
    import torch

    from bench.report import machine_line, write_section
    from qa.rerank import LAYERS, CrossEncoder, reranker_dir

    parser = argparse.ArgumentParser(prog="python -m bench.train_answer_head", description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--skip", type=int, default=1200, help="fit-split cases left to the answerability fit")
    parser.add_argument("--limit", type=int, default=None, help="at most N cases (a quick run)")
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

    pairs = collect_pairs(args.skip, args.limit)
    cross_encoder = CrossEncoder(threads=2, hidden_after=LAYERS - args.layers)
    from tqdm import tqdm

    logits, hidden = [], []
    for pair in tqdm(pairs, desc="hidden states", unit="pair"):
        score, states = cross_encoder.read_pairs([(pair["question"], pair["sentence"])])
        logits.append(float(score[0]))
        hidden.append(states[0].astype(np.float32))
    labels = np.array([p["label"] for p in pairs], dtype=np.float32)
    articles = sorted({p["article"] for p in pairs})
    held_articles = set(articles[:: max(1, len(articles) // HELD_OUT_ARTICLES)][:HELD_OUT_ARTICLES])
    held = np.array([i for i, p in enumerate(pairs) if p["article"] in held_articles])
    train = np.array([i for i, p in enumerate(pairs) if p["article"] not in held_articles])

    head = load_weights(new_head(args.layers), dequantised_top_layers(reranker_dir() / "model.onnx", args.layers))
    def measured(scores: np.ndarray) -> tuple[float, float]:
        return auroc(scores, labels[held]), question_auroc(scores, held, pairs)

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
        print(f"epoch {epoch}: held-out pair AUROC {pair_score:.3f}, question AUROC {score:.3f}", flush=True)
        if pair_score > best_auc:
            best_state, best_auc = weights_of(head), pair_score
    lines = [
        "## Answer head (fine-tuned top layers of the reranker)",
        "",
        f"`python -m bench.train_answer_head --epochs {args.epochs} --layers {args.layers}`: {len(pairs)} squad2 pairs from "
        f"{len({p['id'] for p in pairs})} fit-split questions ({int(labels.sum())} answering sentences), "
        f"{len(train)} to train, {len(held)} of 3 articles ({', '.join(sorted(held_articles))}) held out to pick "
        f"the epoch by the pair AUROC; {machine_line()}; {time.time() - began:.0f} s.",
        "",
        "| head | held-out pair AUROC (answering sentence vs not) | question AUROC (best pair, answerable vs not) |",
        "|---|---:|---:|",
        f"| shipped int8 model's score | {shipped[0]:.3f} | {shipped[1]:.3f} |",
        *[f"| {name} | {pair_score:.3f} | {score:.3f} |" for name, pair_score, score in history],
        "",
        f"Kept: the best held-out epoch (pair AUROC {best_auc:.3f}).",
    ]
    print("\n".join(lines))
    if not args.dry_run:
        save_stored(HEAD_PATH, best_state)
        write_section("answer_head", "\n".join(lines))
        print(f"wrote {HEAD_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
