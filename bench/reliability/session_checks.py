"""What the load benchmark counts as a problem: a leak between sessions, a lost history, a malformed answer.

What it does: `load_conversations` reads the golden follow-up cases as two-turn conversations;
`history_problem` tells a follow-up's standalone question that carries another conversation's
words (a leak) or none of its own first turn's (a lost history); `malformed` tells a reply that
is not an `Answer.to_dict()` for the question asked.
What it does not: run sessions or time them (`bench.reliability.load`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.text.bm25 import tokenize

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden.jsonl"
ANSWER_KEYS = {
    "question": str, "standalone_question": str, "answer": str, "refused": bool, "citations": list, "timings": dict,
    "history_turns": list,
}


@dataclass(frozen=True)
class Conversation:
    id: str
    first: str
    follow_up: str


def load_conversations(path: Path = GOLDEN) -> list[Conversation]:
    """The golden follow-up cases as two-turn conversations (turns[0], then turns[1])."""
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Conversation(c["id"], c["turns"][0], c["turns"][1]) for c in cases if c.get("kind") == "followup"]


def words(text: str) -> set[str]:
    return set(tokenize(text))


def foreign_words(conversation: Conversation, conversations: Sequence[Conversation]) -> set[str]:
    """Words of the other conversations that this one never uses: seeing one is a leak."""
    others = [words(c.first) | words(c.follow_up) for c in conversations if c.id != conversation.id]
    return set().union(*others) - words(conversation.first) - words(conversation.follow_up)


def history_problem(standalone: str, conversation: Conversation, foreign: set[str]) -> str | None:
    """"leak", "lost" or None for the follow-up's standalone question."""
    found = words(standalone)
    if found & foreign:
        return "leak"
    # Words the follow-up itself has prove nothing; only the first turn's own ones show the history was used.
    if not found & (words(conversation.first) - words(conversation.follow_up)):
        return "lost"
    return None


def malformed(answer: object, question: str) -> str | None:
    """Why `answer` is not an Answer.to_dict() for `question`, or None."""
    if not isinstance(answer, dict):
        return f"not a dict: {type(answer).__name__}"
    for key, kind in ANSWER_KEYS.items():
        if not isinstance(answer.get(key), kind):
            return f"{key} missing or not {kind.__name__}"
    if answer["question"] != question:  # another session's answer would show here
        return f"answer to another question: {answer['question']!r}"
    return None
