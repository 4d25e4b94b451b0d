"""Generative answers whose every sentence is checked before it is shown.

What it does: asks a LangChain chat model (see `qa.llm.backends`) to answer from the numbered
passages (prompts `system.md` and `answer.md`), reads its reply as it streams, and checks each
sentence as soon as it is complete: it must cite a passage (`[n]`) and pass the support check of
`qa.eval.support` against the passages it cites. A sentence that passes is shown with the cited
passage's best-supporting sentence as its verbatim quote; one that fails is dropped, with the
reason recorded. The model's refusal sentence is recognised. `generate_checked` yields one event
per sentence, so what streams to the user has already been checked.
What it does not: choose passages, decide to refuse before answering (see `qa.decision.answerability`), or fall
back to the extractive answer (the chain does, when nothing survives).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from ingest.sentences import split_sentences
from ingest.store import StoredChunk
from qa.answer import REFUSAL
from qa.eval.key_terms import strip_citation_markers
from qa.eval.support import sentence_support, term_check
from qa.prompts import fill, load_prompt, numbered_passages

MARKERS = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
LEADING_MARKERS = re.compile(r"^\s*((?:\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]\s*)+)")
PARTIAL_MARKER = re.compile(r"\[[\d\s,;]*$")
WORD = re.compile(r"[^\W\d_]")
QUOTABLE_KINDS = ("text", "bullet")

Scorer = Callable[[list[tuple[str, str]]], Sequence[float]]


@dataclass
class CheckedSentence:
    """One sentence of the model's reply and the verdict of the check."""

    text: str  # as the model wrote it, markers included
    claim: str  # without markers
    cited: list[int]  # passage numbers (1-based) it cites that exist
    kept: bool
    reason: str
    quote: tuple[StoredChunk, int, int, str] | None = None  # (passage, start, end, text) backing it
    score: float = float("nan")


@dataclass
class Generation:
    """The whole checked reply."""

    sentences: list[CheckedSentence] = field(default_factory=list)
    refused: bool = False
    raw: str = ""

    @property
    def kept(self) -> list[CheckedSentence]:
        return [s for s in self.sentences if s.kept]

    @property
    def dropped(self) -> list[dict]:
        return [{"sentence": s.text, "reason": s.reason} for s in self.sentences if not s.kept]


def build_messages(question: str, passages: list[StoredChunk], prompts_dir=None) -> list[tuple[str, str]]:
    """The (role, text) messages for the chat model: the system prompt, then the answer prompt."""
    answer = fill(
        load_prompt("answer", prompts_dir),
        passages=numbered_passages([chunk.text for chunk in passages]),
        question=question,
        refusal=REFUSAL,
    )
    return [("system", load_prompt("system", prompts_dir)), ("human", answer)]


def cited_numbers(text: str, limit: int) -> list[int]:
    """Passage numbers cited in `text` ("[1]", "[1, 3]"), those from 1 to `limit`, in order, once each."""
    numbers: list[int] = []
    for group in MARKERS.findall(text):
        for part in re.split(r"[,;]", group):
            number = int(part)
            if 1 <= number <= limit and number not in numbers:
                numbers.append(number)
    return numbers


def is_refusal(text: str) -> bool:
    """Whether `text` is the refusal sentence (case, spacing, quotes and markers aside)."""
    def norm(value: str) -> str:
        return re.sub(r"[^a-z]+", " ", strip_citation_markers(value).lower()).strip()

    return bool(norm(text)) and norm(text) == norm(REFUSAL)


def split_reply(text: str) -> list[str]:
    """The sentences of a reply; citation markers written after a full stop ("... dose. [1]") stay
    with the sentence before them."""
    pieces = [text[s.start : s.end] for s in split_sentences(text)]
    sentences: list[str] = []
    for piece in pieces:
        lead = LEADING_MARKERS.match(piece)
        if lead and sentences:
            sentences[-1] = f"{sentences[-1]} {lead.group(1).strip()}"
            piece = piece[lead.end() :]
        if piece.strip():
            sentences.append(piece.strip())
    return sentences


def best_quote(claim: str, passage: StoredChunk, scorer: Scorer) -> tuple[tuple[StoredChunk, int, int, str], float]:
    """The sentence of `passage` that best backs `claim`: among those holding its key terms (all of
    them, when none does), the one the cross-encoder scores highest."""
    spans = [(start, end) for start, end, kind in passage.sentences if kind in QUOTABLE_KINDS] or [
        (start, end) for start, end, _ in passage.sentences
    ]
    texts = [passage.text[start - passage.start : end - passage.start] for start, end in spans]
    holding = [i for i, text in enumerate(texts) if not term_check(claim, [text])[0]] or list(range(len(texts)))
    scores = scorer([(claim, texts[i]) for i in holding])
    best = max(range(len(holding)), key=lambda j: float(scores[j]))
    i = holding[best]
    return (passage, spans[i][0], spans[i][1], texts[i]), float(scores[best])


def check_sentence(text: str, passages: list[StoredChunk], scorer: Scorer) -> CheckedSentence:
    """The verdict on one sentence of the reply."""
    claim = strip_citation_markers(text).strip()
    cited = cited_numbers(text, len(passages))
    if not cited:
        return CheckedSentence(text, claim, [], False, "cites no passage")
    result = sentence_support(claim, [passages[n - 1].text for n in cited], scorer)
    if not result.supported:
        return CheckedSentence(text, claim, cited, False, f"not supported by the passages it cites: {result.reason}", score=result.score)
    # The sentence is shown with one citation, so one cited passage must back it on its own: the
    # best-quoted of those that do.
    quotes = sorted(zip((best_quote(claim, passages[n - 1], scorer) for n in cited), cited), key=lambda pair: -pair[0][1])
    for (quote, score), number in quotes:
        alone = result if len(cited) == 1 else sentence_support(claim, [passages[number - 1].text], scorer)
        if alone.supported:
            return CheckedSentence(text, claim, [number], True, alone.reason, quote, score)
    return CheckedSentence(text, claim, cited, False, "no single passage it cites supports it", score=result.score)


def generate_checked(
    chat_model, question: str, passages: list[StoredChunk], scorer: Scorer, prompts_dir=None
) -> Iterator[CheckedSentence | Generation]:
    """Stream the model's answer; yield each sentence once it is complete and checked, then the
    whole `Generation`. Exceptions of the model (an unreachable server) propagate."""
    generation = Generation()
    buffer, done = "", 0
    for chunk in chat_model.stream(build_messages(question, passages, prompts_dir)):
        buffer += chunk.content if isinstance(chunk.content, str) else "".join(map(str, chunk.content))
        sentences = split_reply(buffer)
        # All but the last sentence are complete: the last may still grow. When the last has no
        # word yet (a marker arriving, "[1"), the one before may still get that marker.
        complete = len(sentences) - 1
        if sentences and not WORD.search(PARTIAL_MARKER.sub("", MARKERS.sub("", sentences[-1]))):
            complete -= 1
        for text in sentences[done : max(done, complete)]:
            yield from _judge(text, passages, scorer, generation)
        done = max(done, complete)
    for text in split_reply(buffer)[done:]:
        yield from _judge(text, passages, scorer, generation)
    generation.raw = buffer
    yield generation


def _judge(text: str, passages: list[StoredChunk], scorer: Scorer, generation: Generation) -> Iterator[CheckedSentence]:
    if is_refusal(text):
        generation.refused = True
        return
    checked = check_sentence(text, passages, scorer)
    generation.sentences.append(checked)
    yield checked
