"""Follow-up condensing by the LLM back end, for users who run one.

What it does: `condense_with_llm(question, history, chat_model)` asks the model (prompt
`condense.md`) to rewrite a follow-up so it stands alone, and returns its one-line reply, or None
when the reply is unusable (empty, several lines, far longer than a question, the refusal) so the
caller keeps the heuristic rewrite of `qa.conversation.condense`. Without history the question is returned as is.
`llm_standalone(question, history, settings)` is the chain's face: the rewrite when `Settings.condense_with_llm`
is on and an LLM back end is set, None otherwise or when the back end fails.
What it does not: rewrite without an LLM (`qa.conversation.condense`) or retrieve anything.
"""

from __future__ import annotations

from qa.answer import REFUSAL
from qa.prompts import fill, load_prompt

MAX_GROWTH = 3  # a rewrite longer than this many times the question plus 200 characters is not a question
HISTORY_TURNS = 6


def condense_with_llm(question: str, history: list[dict] | None, chat_model, prompts_dir=None) -> str | None:
    """The model's standalone form of `question`, or None when its reply cannot be used."""
    turns = [turn for turn in history or [] if str(turn.get("content", "")).strip()][-HISTORY_TURNS:]
    if not turns:
        return question
    transcript = "\n".join(f"{turn['role']}: {' '.join(str(turn['content']).split())[:500]}" for turn in turns)
    prompt = fill(load_prompt("condense", prompts_dir), history=transcript, question=question)
    reply = chat_model.invoke([("human", prompt)])
    text = (reply.content if isinstance(reply.content, str) else "").strip().strip('"').strip()
    if not text or "\n" in text or text == REFUSAL or len(text) > MAX_GROWTH * len(question) + 200:
        return None
    return text


def llm_standalone(question: str, history: list[dict] | None, settings) -> str | None:
    """The LLM's standalone question when `settings.condense_with_llm` is on, a back end is set and
    it gives a usable one; None otherwise (the heuristic rewrite then stands)."""
    if not (settings.condense_with_llm and history and settings.llm.strip().lower() not in ("", "none")):
        return None
    from qa.llm.backends import LLMUnavailable, chat_model
    from qa.llm.spec import parse_llm

    try:
        model = chat_model(parse_llm(settings.llm), settings.llm_max_tokens, settings.llm_timeout)
        return condense_with_llm(question, history, model, settings.prompts_dir)
    except (ValueError, LLMUnavailable):
        return None
    except Exception:  # a server that does not answer: the heuristic still works
        return None
