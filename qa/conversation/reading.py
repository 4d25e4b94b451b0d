"""What the conversation stage gives the rest of the chain: the question as it is read (`Reading`).

What it does: holds, for one question, the text as typed, the text the pipeline searches and
decides on (`qa.text.wording`), the standalone form a follow-up is rewritten to
(`qa.conversation.condense`, or an LLM's), how it was rewritten, and the conversation it was read in.
What it does not: compute any of it (the chain's condense step does, `qa.answering`).
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.conversation.history import Conversation


@dataclass(frozen=True)
class Reading:
    """One question as the pipeline reads it."""

    asked: str  # as typed, control characters removed (`qa.request.clean_question`)
    normalised: str  # one typo respelt, its case and closing mark made canonical (`qa.text.wording`)
    standalone: str  # what is searched: the question, or a follow-up rewritten to stand alone
    condensed: str  # how: "unchanged", "swapped", "appended" (`condense_how`) or "llm"
    conversation: Conversation  # the recent exchanges and the documents they cited
