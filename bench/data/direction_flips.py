"""Direction flips the key-term veto cannot see: the material of `bench.contradictions`' second section.

What it does: `flips(sentence)` flips one direction word of a sentence to its opposite
(`bench.data.opposites.OPPOSITE`) where the sentence already holds a word of the opposite's direction,
so every direction word of the altered claim is in its evidence ("more abstinence and lower relapse
risk" -> "less abstinence and lower relapse risk"); `abstract_sentences()` gives the sentences of the
PubMedQA-L abstracts (read from `../shared/`) to flip.
What it does not: judge anything (see `bench.contradictions`).
"""

from __future__ import annotations

import json

from bench.data.opposites import OPPOSITE, WORD
from bench.pubmedqa.corpus import DATA
from qa.eval.key_terms import DIRECTION_WORDS


def flips(sentence: str) -> list[tuple[str, str, str]]:
    """(before, after, altered sentence) for each direction word whose opposite's direction the
    sentence already states elsewhere."""
    words = list(WORD.finditer(sentence))
    classes = {DIRECTION_WORDS.get(m.group(0).lower()) for m in words} - {None, "NEGATION"}
    out = []
    for match in words:
        word = match.group(0)
        opposite = OPPOSITE.get(word.lower())
        if opposite is None or " " in opposite or DIRECTION_WORDS.get(word.lower()) in (None, "NEGATION"):
            continue
        if DIRECTION_WORDS.get(opposite) in classes and DIRECTION_WORDS.get(opposite) != DIRECTION_WORDS.get(word.lower()):
            out.append((word, opposite, sentence[: match.start()] + opposite + sentence[match.end() :]))
    return out


def abstract_sentences() -> list[str]:
    from ingest.sentences import split_sentences

    records = json.loads(DATA.read_text(encoding="utf-8"))
    sentences = []
    for pmid in sorted(records):
        for text in records[pmid]["CONTEXTS"] + [records[pmid].get("LONG_ANSWER", "")]:
            sentences += [text[s.start : s.end].strip() for s in split_sentences(text) if s.kind == "text"]
    return [s for s in sentences if 8 <= len(s.split()) <= 60]
