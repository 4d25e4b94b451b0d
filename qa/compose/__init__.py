"""Stage 4, composition: the answer for a decided question.

- `answers`: the chain's last step (the refusal, the extractive quotes, or the LLM's sentences).
- `extractive`: which verbatim sentences to quote, completed and in reading order.
- `generative`, `llm_answer`: an LLM's answer, each sentence kept only when its passage supports it.
Nothing here retrieves or decides.
"""
