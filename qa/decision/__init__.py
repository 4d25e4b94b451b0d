"""Stage 3, the decision: answer, refuse, or decline.

- `policy`: questions declined before searching (personal medical advice, rule overrides).
- `answer_signals`: numbers that say whether the best sentences answer the question.
- `answer_head`: the fine-tuned reader head whose probability is one of those signals.
- `answerability`: the fitted model that weighs the signals against a threshold.
- `focus`: the focus-term check; `decide`: the chain's step that applies all of it and picks the
  closest passages to show under a refusal.
Nothing here writes an answer.
"""
