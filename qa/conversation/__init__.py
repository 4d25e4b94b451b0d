"""Stage 1, the conversation: what the chat so far means for the new question.

- `history`: the recent exchanges' text and the documents cited, read from a chat history.
- `condense`: a follow-up rewritten to stand alone, without an LLM; `llm_condense` with one.
- `follow_up`: how much the question leans on the conversation (a fitted probability).
- `discussed`: which documents the conversation is about (a fitted probability).
Imports only `qa.text` and the top-level types; nothing here searches the index's vectors.
"""
