"""Fine-tune the support head: `python -m bench.fit.support_head [--epochs N] [--rank-weight W] [--paraphrases] [--out PATH] [--limit N] [--dry-run] [--veto-only]`.

What it does, reproducibly (seed 0, data order fixed):
1. takes the pairs of `bench.data.support_head_pairs` (a claim against its evidence window, supported
   or not: human labels of half the fitting part, their one-edit opposites and rewordings, and
   sentences of the dev corpora's fitting documents with theirs);
2. reads each pair once through the shipped int8 cross-encoder up to its eighth layer (frozen, as
   at check time: `qa.search.rerank.CrossEncoder.read_pairs`) and keeps the hidden states;
3. initialises a head of the top four layers (`qa.decision.support_head.HEAD_LAYERS`) from the
   shipped model (`qa.decision.answer_head`'s module) and trains it with class-weighted binary
   cross-entropy (AdamW), holding out the pairs of some documents (and human ids) of each source
   to pick the epoch by their pooled AUROC; with `--rank-weight W`, each step also asks, W-weighted, that a
   supported claim (or its rewording) read `RANK_MARGIN` logits above one of its own opposites against the
   same evidence (`ranking_pairs`), and each epoch prints how often a held-out claim reads above its opposite;
4. writes `qa/models/support_head.npz` (or `--out PATH`, then nothing else); then (alone with `--veto-only`) the veto: the head's logit
   (its int8 graph, as the check reads it) for every human-labelled *supported* claim of the fitting part's other half (never read by the
   head) that the check accepts without the veto, and `veto_below` = VETO_MARGIN under the lowest of them, rounded down to a half, to
   `qa/models/support_head.json`; and the held-out figures to MODELS.md.
What it does not: measure the check (see `bench.contradictions`, `bench.fit.support_judge`).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

from bench.fit.answer_head import BATCH, SEED, _batches, held_out, predict
from qa.eval.agreement import auroc

LEARNING_RATE = 5e-5
RANK_MARGIN = 2.0  # the logit a supported claim should stand above its opposite by (`--rank-weight`)
VETO_MARGIN = 0.5  # the veto sits this far under the lowest logit of a supported claim the head never read
BUCKET = 16 * BATCH  # pairs sorted by length within a bucket, so a batch pads little


def bucketed(positions: np.ndarray, hidden: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """`positions` shuffled, then sorted by length within buckets of `BUCKET`, the batches of
    each bucket in random order: nearly the padding of a sorted order, the mixing of a shuffle."""
    shuffled = positions[rng.permutation(len(positions))]
    batches = []
    for begin in range(0, len(shuffled), BUCKET):
        bucket = sorted(shuffled[begin : begin + BUCKET], key=lambda i: hidden[i].shape[0])
        batches += [bucket[k : k + BATCH] for k in range(0, len(bucket), BATCH)]
    return np.array([i for k in rng.permutation(len(batches)) for i in batches[k]], dtype=int)


def main(argv: list[str] | None = None) -> int:
    import torch
    from tqdm import tqdm

    from bench.data.support_head_pairs import training_pairs
    from bench.report import MODELS, machine_line, write_section
    from qa.decision.answer_head import dequantised_top_layers, load_weights, new_head, save_stored, weights_of
    from qa.decision.support_head import HEAD_LAYERS, HIDDEN_AFTER, SUPPORT_HEAD_PATH
    from qa.search.rerank import CrossEncoder, reranker_dir

    parser = argparse.ArgumentParser(prog="python -m bench.fit.support_head", description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="at most N pairs (a quick run; implies --dry-run)")
    parser.add_argument("--dry-run", action="store_true", help="report without writing the head")
    parser.add_argument("--veto-only", action="store_true", help="only choose the veto for the shipped head")
    parser.add_argument("--rank-weight", type=float, default=0.0,
                        help="weight of a ranking term: each claim above its own one-edit opposites (default 0: none)")
    parser.add_argument("--paraphrases", action="store_true",
                        help="also train on faithful variants that change a claim's words (bench.data.paraphrases)")
    parser.add_argument("--out", default=None, help="write the head here instead of the shipped path (implies no MODELS.md)")
    args = parser.parse_args(argv)
    if args.veto_only:
        write_veto()
        return 0
    began = time.time()
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    pairs = training_pairs(paraphrased=args.paraphrases)
    if args.limit:
        pairs = [pairs[i] for i in sorted(rng.permutation(len(pairs))[: args.limit])]
        args.dry_run = True
    cross_encoder = CrossEncoder(threads=2, hidden_after=HIDDEN_AFTER)
    hidden = []
    for pair in tqdm(pairs, desc="hidden states", unit="pair"):
        hidden.append(cross_encoder.read_pairs([(pair["question"], pair["sentence"])])[1][0].astype(np.float32))
    labels = np.array([p["label"] for p in pairs], dtype=np.float32)
    held_documents = held_out(pairs)
    is_held = np.array([(p["set"], p["article"]) in held_documents for p in pairs])
    held, train = np.flatnonzero(is_held), np.flatnonzero(~is_held)

    head = load_weights(new_head(HEAD_LAYERS), dequantised_top_layers(reranker_dir() / "model.onnx", HEAD_LAYERS))
    positive = labels[train].mean()
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((1 - positive) / positive))
    optimiser = torch.optim.AdamW(head.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    ranked = np.array(ranking_pairs(pairs, set(train.tolist())), dtype=int).reshape(-1, 2)
    sources = sorted({p["set"] for p in pairs})
    kinds = sorted({p["kind"] for p in pairs})

    def measured(scores: np.ndarray) -> tuple[float, dict[str, float], dict[str, float]]:
        by_source = {}
        for source in sources:
            mine = np.array([k for k, i in enumerate(held) if pairs[i]["set"] == source], dtype=int)
            by_source[source] = auroc(scores[mine], labels[held[mine]]) if len(mine) else float("nan")
        right = {}
        for kind in kinds:
            mine = np.array([k for k, i in enumerate(held) if pairs[i]["kind"] == kind], dtype=int)
            right[kind] = float(np.mean((scores[mine] >= 0) == (labels[held[mine]] == 1))) if len(mine) else float("nan")
        return auroc(scores, labels[held]), by_source, right

    history = [("shipped model (epoch 0)", *measured(predict(head.eval(), hidden, held)))]
    best_state, best_auc = weights_of(head), history[0][1]
    for epoch in range(1, args.epochs + 1):
        head.train()
        order = bucketed(train, hidden, rng)
        for chosen, states, mask in tqdm(list(_batches(hidden, order)), desc=f"epoch {epoch}", unit="batch"):
            optimiser.zero_grad()
            loss = loss_fn(head(states, mask), torch.tensor(labels[chosen]))
            if args.rank_weight and len(ranked):
                picked = ranked[rng.integers(0, len(ranked), BATCH // 2)]
                _, both, both_mask = next(_batches(hidden, picked.T.reshape(-1)))
                logits = head(both, both_mask)
                # the supported claim's logit a margin over its opposite's, against the same evidence
                loss = loss + args.rank_weight * torch.nn.functional.softplus(
                    RANK_MARGIN - (logits[: len(picked)] - logits[len(picked) :])).mean()
            loss.backward()
            optimiser.step()
        scores = predict(head.eval(), hidden, held)
        history.append((f"epoch {epoch}", *measured(scores)))
        held_scores = dict(zip(held.tolist(), scores))
        held_ranked = ranking_pairs(pairs, set(held_scores))
        above = np.mean([held_scores[a] > held_scores[b] for a, b in held_ranked]) if held_ranked else float("nan")
        print(f"epoch {epoch}: held-out AUROC {history[-1][1]:.3f}; a claim above its opposite {above:.3f}", flush=True)
        if history[-1][1] > best_auc:
            best_state, best_auc = weights_of(head), history[-1][1]

    def cell(x: float) -> str:
        return "–" if np.isnan(x) else f"{x:.3f}"

    lines = [
        "## Support head (fine-tuned top layers of the reranker, read by the support check)",
        "",
        f"`python -m bench.fit.support_head --epochs {args.epochs}{f' --rank-weight {args.rank_weight}' if args.rank_weight else ''}{' --paraphrases' if args.paraphrases else ''}`: {len(pairs)} pairs ({int(labels.sum())} supported) "
        f"from `bench/data/support_head_pairs.py`; {len(train)} train, {len(held)} of {len(held_documents)} held-out documents "
        f"and human ids pick the epoch by their pooled AUROC; {machine_line()}; {time.time() - began:.0f} s.",
        "",
        f"| head | pooled AUROC | {' | '.join(sources)} |",
        f"|---|---:|{'---:|' * len(sources)}",
        *[f"| {name} | {auc:.3f} | {' | '.join(cell(by[s]) for s in sources)} |" for name, auc, by, _ in history],
        "",
        "Held-out pairs read right at logit 0 (supported kinds: accepted; the others: rejected):",
        "",
        f"| head | {' | '.join(kinds)} |",
        f"|---|{'---:|' * len(kinds)}",
        *[f"| {name} | {' | '.join(cell(right[k]) for k in kinds)} |" for name, _, _, right in history],
        "",
        f"Kept: the best held-out epoch (pooled AUROC {best_auc:.3f}).",
    ]
    print("\n".join(lines))
    if args.out:
        save_stored(Path(args.out), best_state)
        print(f"wrote {args.out}")
    elif not args.dry_run:
        save_stored(SUPPORT_HEAD_PATH, best_state)
        print(f"wrote {SUPPORT_HEAD_PATH}")
        lines += ["", write_veto()]
        write_section("support_head", "\n".join(lines), path=MODELS)
    return 0


def ranking_pairs(pairs: list[dict], usable: set[int]) -> list[tuple[int, int]]:
    """(supported claim, one of its one-edit opposites) positions among `usable`: the same id and
    evidence, the first labelled 1 (the human or corpus claim, or one of its rewordings, so that a
    synonym is ranked above an opposite and not only an exact copy), the second an alteration."""
    supported: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(pairs):
        if i in usable and p["label"] == 1 and p["kind"] in ("human", "sentence", "rewording"):
            supported.setdefault((p["id"], p["sentence"]), []).append(i)
    return [(j, i) for i, p in enumerate(pairs)
            if i in usable and p["label"] == 0 and p["kind"] not in ("human", "elsewhere")
            for j in supported.get((p["id"], p["sentence"]), [])]


def write_veto() -> str:
    """Choose and write the veto for the shipped head (see the module docstring); its line for MODELS.md."""
    from bench.data.support_data import load_dev
    from bench.data.support_head_pairs import evidence_window, head_half
    from qa.eval.support import passage_sentences, sentence_support, strip_citation_markers, strip_markers_by_line
    from qa.decision.support_head import VETO_PATH, ModelReader, get_support_head

    get_support_head.cache_clear()
    reader = ModelReader()
    logits = []
    for row in load_dev():
        if row.part != "fit" or head_half(row.id) or not row.supported:
            continue
        # Only the claims the check accepts without the veto: those are what the veto could lose.
        if not sentence_support(row.claim, row.passages, scorer=reader, veto_below=-math.inf).supported:
            continue
        claim = strip_citation_markers(row.claim)
        sentences = passage_sentences(strip_markers_by_line(p) for p in row.passages if p.strip())
        logits.append(reader.head((claim, evidence_window(claim, sentences))))
    veto = math.floor((min(logits) - VETO_MARGIN) * 2) / 2
    VETO_PATH.write_text(json.dumps({"veto_below": veto, "supported_claims_read": len(logits)}, indent=1) + "\n", encoding="utf-8")
    line = (f"Veto: the check rejects a claim whose head logit is below {veto:.1f}, {VETO_MARGIN} under the lowest of the "
            f"{len(logits)} human-labelled supported claims of the fitting half the head never read that the check accepts "
            f"without it ({min(logits):.2f}).")
    print(line)
    return line


if __name__ == "__main__":
    raise SystemExit(main())
