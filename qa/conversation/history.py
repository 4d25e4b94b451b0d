"""What the conversation so far tells retrieval: the recent exchanges' text and the documents cited.

What it does: `Conversation.of(history, index)` reads a chat history — turns {"role", "content"},
an assistant turn optionally with the `citations` its answer gave ([{"source", "start", "end"}],
as `Answer.history_turns` gives them) — into the text of the recent exchanges, newest first
(questions *and* answers: the referent of "he" or "there" is usually in the last answer), with
the cited passages read back from the index, and the documents those answers cited.
`clean_history` validates a caller's history into that shape; `unbacked_answer` tells an answer
whose words may name what the documents lack; `question_with_context` is what a
leaning follow-up's sentences are scored against.
What it does not: rewrite the question (see `qa.conversation.condense`) or search (see `qa.search.retrieve`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from qa.answer import REFUSAL
from qa.text.bm25 import tokenize

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
MAX_TURN_CHARS = 4000
MAX_CITATIONS_PER_TURN = 20
CITATION_MARKER = re.compile(r"\s*\[\d+\]")


@dataclass
class Conversation:
    """The recent exchanges, newest first, and the documents the conversation has cited."""

    exchanges: list[str] = field(default_factory=list)  # newest first: "question answer" of each exchange
    sources: list[str] = field(default_factory=list)  # cited documents, newest first, no repeats
    answers: list[str] = field(default_factory=list)  # each exchange's answer as said (no passages read back), newest first
    # Whether each exchange's answer, newest first, was the refusal or cited only documents the index
    # no longer holds: its words may name what the documents lack.
    unbacked: list[bool] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.exchanges

    @classmethod
    def of(cls, history: Sequence[dict] | None, index=None, max_exchanges: int = 3) -> "Conversation":
        grouped: list[list[dict]] = []  # the turns of each exchange, oldest first
        for turn in history or []:
            if turn["role"] == "user" or not grouped:
                grouped.append([])
            grouped[-1].append(turn)
        exchanges, sources, answers, unbacked = [], [], [], []
        for turns in reversed(grouped[-max_exchanges:] if max_exchanges else []):
            said = " ".join(filter(None, (_said(turn, index) for turn in turns)))
            if said:
                exchanges.append(said)
                answers.append(" ".join(_said(turn, None) for turn in turns if turn["role"] == "assistant").strip())
                unbacked.append(any(unbacked_answer(turn, index) for turn in turns if turn["role"] == "assistant"))
        for turn in reversed(list(history or [])):  # every cited document, the newest first
            for citation in turn.get("citations") or []:
                if citation["source"] not in sources:
                    sources.append(citation["source"])
        return cls(exchanges=exchanges, sources=sources, answers=answers, unbacked=unbacked)


def unbacked_answer(answer: dict, index) -> bool:
    """Whether an assistant turn is the refusal, or cited only documents `index` no longer holds."""
    if str(answer.get("content", "")).startswith(REFUSAL):
        return True
    citations = answer.get("citations") or []
    return bool(citations) and index is not None and all(not index.document(c.get("source", "")) for c in citations)


def _said(turn: dict, index) -> str:
    """A turn's words: a question as asked; an answer without its [n] markers, with the passages
    it cited read back (nothing for the refusal)."""
    text = turn["content"]
    if turn["role"] == "assistant":
        if text.startswith(REFUSAL):
            return ""
        text = CITATION_MARKER.sub("", text)
        for citation in turn.get("citations") or []:
            quoted = CITATION_MARKER.sub("", _cited_text(index, citation)).strip()
            if quoted and quoted not in text:
                text = f"{text} {quoted}"
    return " ".join(text.split())


def words_the_index_has(text: str, has_form_of: Callable[[str], bool]) -> str:
    """`text` without the words no indexed text holds (stop words stay): such a word cannot match a
    passage, and a word an earlier question asked about that the documents lack ("cost") must not
    make the next question look unanswerable."""
    kept = []
    for word in text.split():
        tokens = tokenize(word)
        if not tokens or all(has_form_of(token) for token in tokens):
            kept.append(word)
    return " ".join(kept)


def question_with_context(
    question: str, exchanges: list[str], unbacked: list[bool], has_form_of: Callable[[str], bool], limit: int
) -> str:
    """What a leaning follow-up's sentences are scored against: the question, then the opening
    `limit` characters of the latest exchanges (the cross-encoder reads a short query best, and an
    exchange's opening — its question, the start of its answer — carries its subject). An unbacked
    exchange (`unbacked`: one flag per exchange, see `Conversation`) keeps only the words the index
    has; an answered one keeps all its words: over one short document most words of a fair question
    are absent, and the exchange read without them is garbled ("So did she him?")."""
    said = " ".join(
        words_the_index_has(text, has_form_of) if filtered else text
        for text, filtered in zip(exchanges, unbacked)
    )
    if len(said) > limit:
        said = said[:limit].rsplit(" ", 1)[0]
    return f"{question} {said}".strip()


def _cited_text(index, citation: dict) -> str:
    if index is None:
        return ""
    document = index.document(citation["source"])
    if not document:
        return ""
    text = document.get("text", "")
    start, end = citation["start"], citation["end"]
    return text[start:end] if 0 <= start < end <= len(text) else ""


def clean_history(history) -> list[dict]:
    """The usable turns of a caller's history: roles user/assistant with text content (control
    characters removed, long turns cut); an assistant turn keeps its well-formed citations."""
    turns = []
    for turn in history or []:
        if not (isinstance(turn, dict) and turn.get("role") in ("user", "assistant") and isinstance(turn.get("content"), str)):
            continue
        cleaned = {"role": turn["role"], "content": CONTROL_CHARACTERS.sub(" ", turn["content"])[:MAX_TURN_CHARS]}
        citations = [_clean_citation(c) for c in (turn.get("citations") or [])[:MAX_CITATIONS_PER_TURN]] if turn["role"] == "assistant" else []
        citations = [c for c in citations if c]
        if citations:
            cleaned["citations"] = citations
        turns.append(cleaned)
    return turns


def _clean_citation(citation) -> dict | None:
    if not isinstance(citation, dict) or not isinstance(citation.get("source"), str):
        return None
    start, end = citation.get("start"), citation.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        return {"source": citation["source"], "start": 0, "end": 0} if citation["source"] else None
    return {"source": citation["source"], "start": start, "end": end}
