"""Turn a follow-up question into one that stands alone, without an LLM.

What it does: replays the user turns of the history, keeping each turn's standalone form, and
rewrites the new question only when it leans on that context:
- "What about cocaine?" / "And for opioids?" / "How about heroin?" → the previous standalone
  question with its most similar *telling* phrase replaced by the new subject ("What dose ... in
  the alcohol use disorder trial?" → "... in the cocaine trial?"). Telling phrases are runs of
  content words that are not everywhere in the corpus (document frequency below
  `COMMON_TERM_SHARE`), so the corpus's common subject ("ketamine") is never the one replaced;
  similarity is the embedder's cosine.
- a question with a pronoun, a "the study"-style reference or an opening connective ("So where
  does ketamine fit in?") and few content words of its own ("In which journal was it
  published?") → the question followed by the previous question's content words in parentheses:
  all of them after an answer (what the documents hold depends on how many there are, and over
  one short story most words of a fair question are absent), only those the documents hold after
  a refusal or an answer that cited only removed documents ("cost" is why they could not answer).
A question that stands alone is returned unchanged.
What it does not: call a language model (the LLM back end may do that) or retrieve anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from qa.conversation.history import unbacked_answer
from qa.text.bm25 import STOP_WORDS, tokenize

WHAT_ABOUT = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<subject>.+?)\s*[?.!]*\s*$|^\s*and\s+(?:for|in|with|of)?\s*(?P<subject2>.+?)\s*[?.!]*\s*$",
    re.I,
)
LEADING_PREPOSITION = re.compile(r"^(?:for|in|with|of|on|about|the)\s+", re.I)
ANAPHORA = re.compile(
    r"\b(it|its|they|them|their|this|that|these|those|there|he|she|his|her|the same|the (?:study|trial|review|drug|treatment|paper|dose|results?))\b",
    re.I,
)
# "So where does ketamine fit in?", "But is it safe?": an opening connective continues the conversation.
CONNECTIVE_OPENER = re.compile(r"^\s*(?:so|and|but|then|also|okay|ok|well)\b", re.I)
QUESTION_WORDS = {"what", "which", "who", "whom", "how", "when", "where", "why", "whose", "many", "much", "did", "does", "do", "was", "were", "is", "are"}
AUXILIARIES = {"did", "does", "do", "was", "were", "is", "are", "can", "could", "would", "should", "will", "has", "have", "had"}
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'./-]*")
COMMON_TERM_SHARE = 0.5  # a term in over half the chunks is the corpus's subject, not a slot to swap
MAX_OWN_CONTENT_WORDS = 3  # a question with more content words of its own is taken to stand alone
MIN_SLOT_SIMILARITY = 0.15

Encoder = Callable[[list[str]], np.ndarray]
DocumentFrequency = Callable[[str], float]


def condense(
    question: str,
    history: Sequence[dict] | None,
    encode: Encoder,
    document_frequency: DocumentFrequency,
) -> str:
    """The standalone form of `question` given the chat `history` (role/content dicts)."""
    return condense_how(question, history, encode, document_frequency)[0]


def condense_how(
    question: str,
    history: Sequence[dict] | None,
    encode: Encoder,
    document_frequency: DocumentFrequency,
    index=None,
) -> tuple[str, str]:
    """The standalone form of `question` and how it was made: "unchanged", "swapped" (a "What
    about X?" put X in the previous question, which then says all there is to search for) or
    "appended" (the previous question's words added). `index` tells which cited documents remain
    (`unbacked_answer`)."""
    previous, unbacked = None, False
    for turn in history or []:
        content = str(turn.get("content", "")).strip()
        if turn.get("role") == "user" and content:
            previous, unbacked = _condense_one(content, previous, unbacked, encode, document_frequency)[0], False
        elif turn.get("role") == "assistant" and unbacked_answer(turn, index):
            unbacked = True
    return _condense_one(question, previous, unbacked, encode, document_frequency)


def _condense_one(
    question: str, previous: str | None, unbacked: bool, encode: Encoder, document_frequency: DocumentFrequency
) -> tuple[str, str]:
    """`question` read after `previous` (the earlier question's standalone form), whose answer was
    the refusal or cited only removed documents when `unbacked`."""
    if not previous:
        return question, "unchanged"
    match = WHAT_ABOUT.match(question)
    if match:
        subject = (match.group("subject") or match.group("subject2") or "").strip()
        while LEADING_PREPOSITION.match(subject):
            subject = LEADING_PREPOSITION.sub("", subject, count=1)
        first_word = subject.split()[0].lower() if subject else ""
        if subject and len(subject.split()) <= 8 and first_word not in QUESTION_WORDS and first_word not in AUXILIARIES:
            return _swap_subject(previous, subject, encode, document_frequency), "swapped"
    own_words = [w for w in tokenize(question) if w not in QUESTION_WORDS]
    leans = ANAPHORA.search(question) or CONNECTIVE_OPENER.match(question)
    if leans and len(own_words) <= MAX_OWN_CONTENT_WORDS or not own_words:
        # After a refusal (or an answer from removed documents), only words the documents hold: one
        # they lack ("cost") finds nothing and would make the follow-up look unanswerable too.
        context = " ".join(
            w for w in WORD.findall(previous)
            if w.lower() not in STOP_WORDS and w.lower() not in QUESTION_WORDS
            and (not unbacked or all(document_frequency(token) > 0 for token in tokenize(w)))
        )
        return (f"{question.rstrip()} ({context})", "appended") if context else (question, "unchanged")
    return question, "unchanged"


def _swap_subject(previous: str, subject: str, encode: Encoder, document_frequency: DocumentFrequency) -> str:
    # "the cocaine trial" after "...the alcohol use disorder trial?": only "cocaine" is new, so only
    # it competes for a slot ("trial" would otherwise match itself).
    known = {word.lower() for word in WORD.findall(previous)}
    new_words = [word for word in subject.split() if word.lower() not in known]
    if new_words and len(new_words) < len(subject.split()):
        subject = " ".join(new_words)
    spans = _candidate_spans(previous, document_frequency)
    if not spans:
        return f"{previous.rstrip(' ?')} {subject}?"
    vectors = encode([subject] + [previous[start:end] for start, end in spans])
    similarities = vectors[1:] @ vectors[0]
    best = int(np.argmax(similarities))
    if similarities[best] < MIN_SLOT_SIMILARITY:
        return f"{previous.rstrip(' ?')} {subject}?"
    start, end = spans[best]
    return previous[:start] + subject + previous[end:]


def _candidate_spans(text: str, document_frequency: DocumentFrequency) -> list[tuple[int, int]]:
    """Runs of 1-4 telling content words, as character spans of `text`."""
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    runs: list[list[tuple[int, int, str]]] = [[]]
    for start, end, word in words:
        lowered = word.lower()
        tokens = tokenize(word)
        telling = (
            lowered not in STOP_WORDS
            and lowered not in QUESTION_WORDS
            and tokens
            and all(document_frequency(token) <= COMMON_TERM_SHARE for token in tokens)
        )
        if telling:
            runs[-1].append((start, end, word))
        elif runs[-1]:
            runs.append([])
    spans = []
    for run in runs:
        for size in (1, 2, 3, 4):
            for first in range(0, len(run) - size + 1):
                spans.append((run[first][0], run[first + size - 1][1]))
    return spans
