"""Training pairs for the support head: a claim and its evidence, read as supported (1) or not (0).

What it does: `training_pairs()` returns dicts `{question, sentence, label, id, article, set,
kind}` (`question` is the claim and `sentence` its evidence, the names `bench.fit.answer_head`
reads), from two sources, none of them kept out anywhere:
- **human labels**, the half of the fitting part of `../shared/data/dev/support/` that
  `head_half` gives the head (the other half stays unread: the check's veto is chosen on the
  head's reading of claims it never saw, `bench.fit.support_head`): each claim against its
  evidence window (`evidence_window`, the best one to three sentences, as the judge reads it)
  with its human label; each supported claim's one-edit opposites (`bench.data.opposites`, up to
  `PER_FAMILY` per family) labelled 0 and its synonym rewordings labelled 1;
- **sentences of the dev corpora's fitting documents** (squad2 articles, medquad pages, coqa
  stories; `bench.data.devsets.split_of`'s rule, so no kept-out document is read): a sentence, or the
  sentence with one comma-separated part left out, against itself and its neighbour (1); its
  rewordings (1); its one-edit opposites (0); and another sentence of the same document, two or
  more sentences away, against the same window (0: on topic, not said).
With `paraphrased` (`python -m bench.fit.support_head --paraphrases`; the shipped head was trained
without), each such claim also gets up to `PARAPHRASES` faithful variants that change its words
(`bench.data.paraphrases`: a misspelling; a synonym or a left-out adverb), labelled 1.
Deterministic (seeded by the ids).
What it does not: train (see `bench.fit.support_head`) or read a kept-out case.
"""

from __future__ import annotations

import hashlib
import random
import re

from bench.data.opposites import alterations, rewordings
from bench.data.paraphrases import is_misspelling, paraphrases

PER_FAMILY = 2  # opposites per family and claim
REWORDINGS = 2
PARAPHRASES = 2  # faithful variants per claim (`bench.data.paraphrases`): one misspelt, one reworded or shortened
SENTENCES_PER_DOCUMENT = {"squad2": 40, "medquad": 1, "coqa": 2}
MIN_WORDS, MAX_WORDS = 8, 40


def head_half(case_id: str) -> bool:
    """Whether a fitting-part label trains the head (about half, by other digits of sha256 than
    `bench.data.support_data.part` reads)."""
    return int(hashlib.sha256(case_id.encode()).hexdigest()[8:16], 16) % 2 == 0


def evidence_window(claim: str, sentences: list[str]) -> str:
    """The best one to three evidence sentences for `claim`, in document order, joined: what the
    judge's second cross-encoder pair reads (`qa.eval.judge.signals`)."""
    from qa.eval.judge import lexical_signals

    _, chosen, _ = lexical_signals(claim, sentences)
    return " ".join(sentences[i] for i in sorted(chosen))


def _variants(claim: str, evidence: str, base: dict, rng: random.Random, paraphrased: bool = False) -> list[dict]:
    """The claim's one-edit opposites (0) and rewordings (1) against the same evidence; with `paraphrased`,
    also `PARAPHRASES` faithful variants (1, `bench.data.paraphrases`)."""
    out = []
    by_family: dict[str, list] = {}
    for alteration in alterations(claim):
        by_family.setdefault(alteration.family, []).append(alteration)
    for family, found in sorted(by_family.items()):
        for alteration in rng.sample(found, min(PER_FAMILY, len(found))):
            out.append({**base, "question": alteration.text, "sentence": evidence, "label": 0, "kind": family})
    found = rewordings(claim)
    for rewording in rng.sample(found, min(REWORDINGS, len(found))):
        out.append({**base, "question": rewording.text, "sentence": evidence, "label": 1, "kind": "rewording"})
    if not paraphrased:
        return out
    own = random.Random(f"{base['id']}/paraphrase")  # its own draws: the other pairs stay as they were
    varied = paraphrases(claim, own)
    typos = [v for v in varied if is_misspelling(v)]
    others = [v for v in varied if not is_misspelling(v)]
    for group in (typos, others)[:PARAPHRASES]:
        if group:
            out.append({**base, "question": own.choice(group).text, "sentence": evidence, "label": 1, "kind": "paraphrase"})
    return out


def human_pairs(paraphrased: bool = False) -> list[dict]:
    from bench.data.support_data import load_dev
    from qa.eval.support import passage_sentences, strip_citation_markers, strip_markers_by_line

    pairs = []
    for row in load_dev():
        if row.part != "fit" or not head_half(row.id):
            continue
        claim = strip_citation_markers(row.claim)
        sentences = passage_sentences(strip_markers_by_line(p) for p in row.passages if p.strip())
        if not claim or not sentences:
            continue
        evidence = evidence_window(claim, sentences)
        base = {"id": row.id, "article": row.id, "set": row.source}
        pairs.append({**base, "question": claim, "sentence": evidence, "label": int(row.supported), "kind": "human"})
        if row.supported:
            pairs += _variants(claim, evidence, base, random.Random(row.id), paraphrased)
    return pairs


def _drop_part(sentence: str, rng: random.Random) -> str:
    """The sentence with one comma-separated part left out (a claim says less than its source), or
    the sentence itself when it has no such part."""
    parts = [p.strip() for p in sentence.rstrip(".").split(",")]
    if len(parts) < 3:
        return sentence
    keep = [p for i, p in enumerate(parts) if i != rng.randrange(1, len(parts))]
    return ", ".join(keep) + "."


def corpus_pairs(paraphrased: bool = False) -> list[dict]:
    from bench.data.devsets import corpus_folder, document_kept, squad_kept_articles
    from ingest.sentences import split_sentences

    pairs = []
    for name, per_document in SENTENCES_PER_DOCUMENT.items():
        kept = squad_kept_articles() if name == "squad2" else set()
        for path in sorted(corpus_folder(name).glob("*.txt")):
            if path.name in kept or (name != "squad2" and document_kept(path.name)):
                continue
            text = path.read_text(encoding="utf-8")
            sentences = [s.text_in(line) for line in text.split("\n") for s in split_sentences(line)]
            usable = [i for i, s in enumerate(sentences) if MIN_WORDS <= len(s.split()) <= MAX_WORDS and re.search(r"[a-z]", s)]
            rng = random.Random(f"{name}/{path.name}")
            for i in rng.sample(usable, min(per_document, len(usable))):
                claim = _drop_part(sentences[i], rng)
                neighbour = i + 1 if i + 1 < len(sentences) and rng.random() < 0.5 else max(0, i - 1)
                evidence = " ".join(sentences[j] for j in sorted({i, neighbour}))
                base = {"id": f"{name}/{path.name}/{i}", "article": path.name, "set": name}
                pairs.append({**base, "question": claim, "sentence": evidence, "label": 1, "kind": "sentence"})
                pairs += _variants(claim, evidence, base, rng, paraphrased)
                far = [j for j in usable if abs(j - i) >= 2 and j != neighbour]
                if far:
                    other = sentences[rng.choice(far)]
                    pairs.append({**base, "question": other, "sentence": evidence, "label": 0, "kind": "elsewhere"})
    return pairs


def training_pairs(paraphrased: bool = False) -> list[dict]:
    return human_pairs(paraphrased) + corpus_pairs(paraphrased)


if __name__ == "__main__":
    from collections import Counter

    made = training_pairs()
    print(len(made), Counter((p["set"], p["kind"], p["label"]) for p in made))
