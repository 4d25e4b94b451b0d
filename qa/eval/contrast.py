"""Lay a claim beside its evidence: the words where they part, the ones that matter first.

What it does: `contrasts(claim, evidence, head)` aligns the claim's words with those of its
closest evidence sentence (difflib over lower-cased words) and returns the places where they
differ as `(claim words, evidence words)`, each with one shared word of context on either side
("more relapse" / "more abstinence and lower relapse"). With a `head` (the support head's logit of
a pair), each difference is ranked by the head's reading of the claim made to say what the
evidence says there - the contradicting words come first - and kept only when that repair
raises the reading to "supported" (logit >= 0).
What it does not: decide support (`qa.eval.support` does) or judge which side is true.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

WORD = re.compile(r"\S+")
MAX_WORDS = 8  # a difference longer than this on either side is a different sentence, not a contrast
MAX_CONTRASTS = 2


def _words(text: str) -> list[re.Match]:
    return list(WORD.finditer(text))


def _key(match: re.Match) -> str:
    return match.group(0).lower().strip(".,;:!?()[]\"'")


def closest_sentence(claim: str, sentences: Sequence[str]) -> str:
    """The evidence sentence whose words align best with the claim's."""
    claim_keys = [_key(w) for w in _words(claim)]
    return max(sentences, key=lambda s: difflib.SequenceMatcher(None, claim_keys, [_key(w) for w in _words(s)]).ratio(), default="")


def _span(text: str, words: list[re.Match], begin: int, end: int) -> str:
    begin, end = max(0, begin), min(len(words), end)
    return text[words[begin].start() : words[end - 1].end()].strip(".,;:") if begin < end else ""


def contrasts(claim: str, evidence: str, head: Callable[[tuple[str, str]], float] | None = None) -> list[tuple[str, str]]:
    """Up to `MAX_CONTRASTS` `(claim words, evidence words)` where the claim parts from `evidence`."""
    claim_words, evidence_words = _words(claim), _words(evidence)
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in claim_words], [_key(w) for w in evidence_words], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return []
    first, last = blocks[0], blocks[-1]
    found = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        # Only inside the aligned stretch: words the evidence has before or after all the claim's
        # are context the claim leaves out, not a contrast.
        inside = i1 >= first.a and i2 <= last.a + last.size and j1 >= first.b and j2 <= last.b + last.size
        if tag == "equal" or not inside or i2 - i1 > MAX_WORDS or j2 - j1 > MAX_WORDS:
            continue
        shown = (_span(claim, claim_words, i1 - 1, i2 + 1), _span(evidence, evidence_words, j1 - 1, j2 + 1))
        repaired = claim[: claim_words[i1 - 1].end()] + " " + _span(evidence, evidence_words, j1, j2) + " " + claim[claim_words[i2].start() :] if 0 < i1 and i2 < len(claim_words) else ""
        found.append((shown, repaired))
    if head is None:
        return [shown for shown, _ in found[:MAX_CONTRASTS]]
    base = head((claim, evidence))
    readings = [(head((repaired, evidence)) if repaired else base, shown) for shown, repaired in found]
    # A difference counts when saying what the evidence says there makes the head read the claim
    # as supported (logit >= 0): the claim's words there are what it objects to.
    return [shown for reading, shown in sorted(readings, key=lambda r: -r[0]) if reading > base and reading >= 0][:MAX_CONTRASTS]
