"""Comparisons turned round: the material of `bench.contradictions`' comparison section.

What it does: `swaps(sentence)` finds a comparison in a sentence ("patients given ketamine had higher
scores than those given placebo": a direction word of `bench.data.opposites.OPPOSITE`, then "than",
"compared to/with", "versus" or "relative to" within eight words, no other direction word or clause
break between, each side holding a word that is no function word) and returns two variants, each
with the text before the direction word in its clause and the text after the comparing words
exchanged: the *swap* keeps the direction ("those given placebo higher scores than patients given
ketamine had": the opposite claim) and the *turn* also flips the direction word ("those given placebo
lower scores than patients given ketamine had": the same claim said from the other side, which a
support check must not read as a contradiction). `abstract_sentences()` of `bench.data.direction_flips`
gives the sentences to turn.
What it does not: write good English (the exchanged sides keep their verbs), or judge anything.
"""

from __future__ import annotations

import re

from bench.data.opposites import OPPOSITE, _cased
from qa.eval.key_terms import DIRECTION_WORDS
from qa.text.bm25 import STOP_WORDS

TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*|[,;:()]")
COMPARING = (("than",), ("compared", "to"), ("compared", "with"), ("versus",), ("vs",), ("relative", "to"))
WITHIN = 8
CLAUSE_ENDS = {",", ";", ":", "(", ")"}
# Direction classes of the words that head a comparison (more, higher, increased, larger, longer, worse);
# not "failure" or "improvement", which name a thing.
COMPARATIVE_CLASSES = {"UP", "DOWN", "larger", "smaller", "longer", "shorter", "worsen"}


def _holds_words(side: list[str]) -> bool:
    """Whether a side names something: a word of three letters or more that is no function word."""
    return any(len(w) > 2 and w not in STOP_WORDS for w in side)


def swaps(sentence: str) -> list[tuple[str, str]]:
    """(swap, turn) for the first comparison of `sentence` whose two sides both hold words; [] when none."""
    tokens = list(TOKEN.finditer(sentence))
    words = [t.group(0).lower() for t in tokens]
    for i, word in enumerate(words):
        opposite = OPPOSITE.get(word)
        if DIRECTION_WORDS.get(word) not in COMPARATIVE_CLASSES or not opposite or " " in opposite:
            continue
        comparing = None
        for j in range(i + 1, min(len(words), i + 1 + WITHIN)):
            comparing = next((c for c in COMPARING if tuple(words[j : j + len(c)]) == c), None)
            if comparing or words[j] in DIRECTION_WORDS or words[j] in CLAUSE_ENDS:
                break
        if not comparing:
            continue
        begin = max((k + 1 for k in range(i) if words[k] in CLAUSE_ENDS), default=0)
        after = j + len(comparing)
        end = next((k for k in range(after, len(words)) if words[k] in CLAUSE_ENDS), len(words))
        if not _holds_words(words[begin:i]) or not _holds_words(words[after:end]) or words[after][0].isdigit():
            continue  # "more than 1 cause" compares with a number, not with a side
        start = tokens[begin].start()
        ahead = sentence[start : tokens[i].start()].strip()
        against = sentence[tokens[after].start() : tokens[end - 1].end()].strip()
        middle = sentence[tokens[i].start() : tokens[after].start()]
        rest = sentence[tokens[end - 1].end() :]
        turned = _cased(opposite, tokens[i].group(0)) + middle[len(tokens[i].group(0)) :]
        return [(sentence[:start] + against + " " + middle + ahead + rest, sentence[:start] + against + " " + turned + ahead + rest)]
    return []
